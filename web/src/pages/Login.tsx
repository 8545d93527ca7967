import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, login, type LoginMethods, loginMethods, type Session } from '../api';
import { Alert } from '../components/ui';

/** Why single sign-on came back without a session (`#/?sso_error=<code>`, set by the API). */
const SSO_ERRORS: Record<string, string> = {
  not_enabled: 'Accesso non abilitato: la sua identità digitale non è associata a un utente della console PIS. Contattare l’amministratore.',
  inactive: 'Utente disattivato: contattare l’amministratore.',
  state: 'La richiesta di accesso è scaduta o non è valida: riprovare.',
  provider: 'L’identity provider dell’ente non ha completato l’accesso: riprovare più tardi.',
};

function ssoErrorFromHash(): string | undefined {
  const code = /[?&]sso_error=([a-z_]+)/.exec(window.location.hash)?.[1];
  return code ? (SSO_ERRORS[code] ?? SSO_ERRORS.provider) : undefined;
}

export function Login({ onLogin }: { onLogin: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(ssoErrorFromHash);
  const [busy, setBusy] = useState(false);
  const [methods, setMethods] = useState<LoginMethods>();

  useEffect(() => {
    void loginMethods().then(setMethods);
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError('Inserire nome utente e password');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await login(username.trim(), password));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Nome utente o password non corretti' : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const local = methods?.local ?? true;
  return (
    <main id="main" className="container my-5" style={{ maxWidth: '28rem' }}>
      <h1 className="h3 mb-4">Accesso alla console PIS</h1>
      <p>Pronto Intervento Sociale – accesso riservato agli operatori autorizzati.</p>
      {error && <Alert tone="danger">{error}</Alert>}
      {methods?.sso && (
        <p>
          <a className="btn btn-primary w-100" href={methods.sso.loginUrl}>
            {methods.sso.label}
          </a>
        </p>
      )}
      {local && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          {methods?.sso && <p className="text-center text-muted">oppure con le credenziali locali</p>}
          <div className="mb-3">
            <label htmlFor="username" className="form-label">
              Nome utente
            </label>
            <input id="username" className="form-control" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
          </div>
          <div className="mb-3">
            <label htmlFor="password" className="form-label">
              Password
            </label>
            <input id="password" type="password" className="form-control" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </div>
          <button type="submit" className={`btn ${methods?.sso ? 'btn-outline-primary' : 'btn-primary'} w-100`} disabled={busy}>
            {busy ? 'Accesso in corso…' : 'Accedi'}
          </button>
        </form>
      )}
      <p className="mt-4 small">
        <a href="#/accessibilita">Dichiarazione di accessibilità</a>
      </p>
    </main>
  );
}
