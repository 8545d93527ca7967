import { type FormEvent, useState } from 'react';
import { ApiError, login, type Session } from '../api';
import { Alert } from '../components/ui';

export function Login({ onLogin }: { onLogin: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

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

  return (
    <main id="main" className="container my-5" style={{ maxWidth: '28rem' }}>
      <h1 className="h3 mb-4">Accesso alla console PIS</h1>
      <p>Pronto Intervento Sociale – accesso riservato agli operatori autorizzati.</p>
      {error && <Alert tone="danger">{error}</Alert>}
      <form onSubmit={(e) => void submit(e)} noValidate>
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
        <button type="submit" className="btn btn-primary w-100" disabled={busy}>
          {busy ? 'Accesso in corso…' : 'Accedi'}
        </button>
      </form>
    </main>
  );
}
