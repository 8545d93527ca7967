import { type FormEvent, useState } from 'react';
import { ROLES } from '../../../../src/domain';
import { type AdminUser, type AdminUserList, type AdminUserWithPassword, ApiError, type Role } from '../../api';
import { Alert, ComuneName, ErrorAlert, Loading, PageTitle, useComuni } from '../../components/ui';
import { useLoad } from '../../hooks';
import { roleLabel } from '../../labels';
import { useSession } from '../../session';

/**
 * "Utenti": user administration. Admin manages everyone; a coordinator the emergency operators of
 * their own Ambiti (the API enforces the same rule). A new user or a password reset shows the
 * temporary password once.
 */

interface Draft {
  id?: string;
  username: string;
  displayName: string;
  role: Role;
  comuneCode: string;
  ambitoIds: string[];
}

const EMPTY: Draft = { username: '', displayName: '', role: 'emergency_operator', comuneCode: '', ambitoIds: [] };

function issuesOf(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  return Object.fromEntries(err.issues.map((i) => [i.path.split('.')[0] ?? i.path, i.message]));
}

export function Users() {
  const { api, session } = useSession();
  const isAdmin = session.user.role === 'admin';
  const list = useLoad(() => api.get<AdminUserList>('/api/admin/users'), [api]);
  const comuni = useComuni();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [verdict, setVerdict] = useState<{ text: string; password?: string; key: number }>();
  const [busy, setBusy] = useState(false);
  const roles: Role[] = isAdmin ? [...ROLES] : ['emergency_operator'];
  const ambiti = list.data?.ambiti ?? [];
  const ambitoName = (id: string) => ambiti.find((a) => a.id === id)?.name ?? id;

  async function run(action: () => Promise<{ text: string; password?: string }>) {
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    setVerdict(undefined);
    try {
      const outcome = await action();
      setVerdict({ ...outcome, key: Date.now() });
      await list.reload();
    } catch (err) {
      setFieldErrors(issuesOf(err));
      setError(err instanceof ApiError ? err : new ApiError(0, 'Errore imprevisto'));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const common = {
      displayName: draft.displayName,
      role: draft.role,
      comuneCode: draft.role === 'social_worker' ? draft.comuneCode || null : null,
      ambitoIds: draft.ambitoIds,
    };
    void run(async () => {
      if (draft.id === undefined) {
        const { data } = await api.post<AdminUserWithPassword>('/api/admin/users', { username: draft.username, ...common });
        setDraft(EMPTY);
        return { text: `Utente ${data.user.username} creato. Password temporanea (mostrata una sola volta):`, password: data.temporaryPassword };
      }
      const user = await api.patch<AdminUser>(`/api/admin/users/${draft.id}`, common);
      setDraft(EMPTY);
      return { text: `Utente ${user.username} aggiornato.` };
    });
  }

  const edit = (u: AdminUser) => {
    setFieldErrors({});
    setError(undefined);
    setDraft({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, comuneCode: u.comuneCode ?? '', ambitoIds: u.ambitoIds });
  };
  const setActive = (u: AdminUser, active: boolean) =>
    run(async () => {
      await api.patch<AdminUser>(`/api/admin/users/${u.id}`, { active });
      return { text: active ? `Utente ${u.username} riattivato.` : `Utente ${u.username} disattivato: le sue sessioni sono terminate.` };
    });
  const resetPassword = (u: AdminUser) =>
    run(async () => {
      const { data } = await api.post<AdminUserWithPassword>(`/api/admin/users/${u.id}/reset-password`);
      return { text: `Nuova password temporanea di ${u.username} (mostrata una sola volta; le sessioni aperte sono terminate):`, password: data.temporaryPassword };
    });
  const toggleAmbito = (id: string, on: boolean) =>
    setDraft((d) => ({ ...d, ambitoIds: on ? [...d.ambitoIds, id] : d.ambitoIds.filter((a) => a !== id) }));
  const invalid = (field: string) => (fieldErrors[field] ? 'is-invalid' : '');
  const feedback = (field: string) => fieldErrors[field] && <div className="invalid-feedback d-block">{fieldErrors[field]}</div>;

  return (
    <>
      <PageTitle>Utenti</PageTitle>
      <p className="small text-muted">
        {isAdmin ? 'Tutti gli utenti dell’installazione.' : 'Gli operatori dei tuoi Ambiti.'} Ogni modifica è registrata; la disattivazione, il cambio di ruolo o di Comune e il ripristino della password terminano le sessioni aperte dell’utente.
      </p>
      {verdict && (
        <Alert tone="success" key={verdict.key}>
          {verdict.text}
          {verdict.password && <code className="d-block fs-5 mt-1" data-testid="temporary-password">{verdict.password}</code>}
        </Alert>
      )}
      <ErrorAlert error={error} />
      <section aria-labelledby="users-title" className="mb-4">
        <h2 id="users-title" className="h5">Elenco</h2>
        <ErrorAlert error={list.error} />
        {!list.data ? <Loading /> : (
          <div className="table-responsive">
            <table className="table table-sm align-middle" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">Nome utente</th>
                  <th scope="col">Nome</th>
                  <th scope="col">Ruolo</th>
                  <th scope="col">Comune</th>
                  <th scope="col">Ambiti</th>
                  <th scope="col">Stato</th>
                  <th scope="col">Azioni</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((u) => (
                  <tr key={u.id} data-username={u.username}>
                    <td>{u.username}</td>
                    <td>{u.displayName}</td>
                    <td>{roleLabel(u.role)}</td>
                    <td>{u.comuneCode ? <ComuneName code={u.comuneCode} /> : '—'}</td>
                    <td>{u.ambitoIds.length === 0 ? (u.role === 'admin' ? 'Tutti' : '—') : u.ambitoIds.map(ambitoName).join(', ')}</td>
                    <td>{u.active ? <span className="badge bg-success">Attivo</span> : <span className="badge bg-secondary">Disattivato</span>}</td>
                    <td className="d-flex flex-wrap gap-1">
                      <button type="button" className="btn btn-sm btn-outline-primary" disabled={busy} onClick={() => edit(u)}>
                        Modifica<span className="visually-hidden"> {u.username}</span>
                      </button>
                      <button type="button" className="btn btn-sm btn-outline-primary" disabled={busy} onClick={() => void resetPassword(u)}>
                        Nuova password<span className="visually-hidden"> per {u.username}</span>
                      </button>
                      {u.id !== session.user.id && (
                        <button type="button" className="btn btn-sm btn-outline-danger" disabled={busy} onClick={() => void setActive(u, !u.active)}>
                          {u.active ? 'Disattiva' : 'Riattiva'}<span className="visually-hidden"> {u.username}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="user-form-title">
        <h2 id="user-form-title" className="h5">{draft.id === undefined ? 'Nuovo utente' : `Modifica ${draft.username}`}</h2>
        <form onSubmit={submit} noValidate data-testid="user-form">
          <div className="row g-3">
            <div className="col-md-4">
              <label htmlFor="u-username" className="form-label">Nome utente</label>
              <input id="u-username" className={`form-control ${invalid('username')}`} value={draft.username} disabled={draft.id !== undefined} onChange={(e) => setDraft({ ...draft, username: e.target.value })} autoComplete="off" />
              {feedback('username')}
            </div>
            <div className="col-md-4">
              <label htmlFor="u-display" className="form-label">Nome visualizzato</label>
              <input id="u-display" className={`form-control ${invalid('displayName')}`} value={draft.displayName} onChange={(e) => setDraft({ ...draft, displayName: e.target.value })} />
              {feedback('displayName')}
            </div>
            <div className="col-md-4">
              <label htmlFor="u-role" className="form-label">Ruolo</label>
              <select id="u-role" className={`form-select ${invalid('role')}`} value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
                {roles.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
              </select>
              {feedback('role')}
            </div>
            {draft.role === 'social_worker' && (
              <div className="col-md-4">
                <label htmlFor="u-comune" className="form-label">Comune</label>
                <select id="u-comune" className={`form-select ${invalid('comuneCode')}`} value={draft.comuneCode} onChange={(e) => setDraft({ ...draft, comuneCode: e.target.value })}>
                  <option value="">Scegli il Comune</option>
                  {comuni.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
                </select>
                {feedback('comuneCode')}
              </div>
            )}
            <fieldset className="col-md-8">
              <legend className="form-label fs-6">Ambiti{draft.role === 'social_worker' ? ' (se vuoto: quello del Comune)' : ''}</legend>
              {ambiti.map((a) => (
                <div className="form-check form-check-inline" key={a.id}>
                  <input className={`form-check-input ${invalid('ambitoIds')}`} type="checkbox" id={`u-ambito-${a.id}`} checked={draft.ambitoIds.includes(a.id)} onChange={(e) => toggleAmbito(a.id, e.target.checked)} />
                  <label className="form-check-label" htmlFor={`u-ambito-${a.id}`}>{a.name}</label>
                </div>
              ))}
              {feedback('ambitoIds')}
            </fieldset>
          </div>
          <div className="mt-3 d-flex gap-2">
            <button type="submit" className="btn btn-primary" disabled={busy}>{draft.id === undefined ? 'Crea utente' : 'Salva modifiche'}</button>
            {draft.id !== undefined && (
              <button type="button" className="btn btn-outline-secondary" onClick={() => { setDraft(EMPTY); setFieldErrors({}); }}>Annulla</button>
            )}
          </div>
        </form>
      </section>
    </>
  );
}
