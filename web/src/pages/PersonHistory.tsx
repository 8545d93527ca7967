import { type FormEvent, useState } from 'react';
import type { PersonLinkItem, PersonSearchHit } from '../../../src/contract/reports';
import { ApiError, type CaseFile } from '../api';
import { ErrorAlert } from '../components/ui';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { categoryLabel, outcomeLabel } from '../labels';
import { useSession } from '../session';

/**
 * "Casi precedenti" of the people of a case: the earlier cases an operator linked explicitly
 * (never guessed), and, for operators and coordinators, a search across earlier cases to link
 * one. Every search is audited on the server; the reader sees only cases in their scope.
 */

const SEARCH_ROLES = ['emergency_operator', 'coordinator'];

export function PersonHistory({ caseId, people }: { caseId: string; people: CaseFile['people'] }) {
  const { api, session } = useSession();
  const links = useLoad(() => api.get<{ items: PersonLinkItem[] }>(`/api/cases/${encodeURIComponent(caseId)}/people/links`), [api, caseId]);
  const canLink = SEARCH_ROLES.includes(session.user.role);
  const [error, setError] = useState<ApiError>();
  const fail = (e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, String(e)));

  const unlink = async (l: PersonLinkItem) => {
    setError(undefined);
    try {
      await api.del(`/api/cases/${encodeURIComponent(caseId)}/people/${encodeURIComponent(l.personId)}/links/${l.id}`);
      await links.reload();
    } catch (e) {
      fail(e);
    }
  };

  return (
    <section className="card card-body shadow-sm mb-3" aria-labelledby="history-title" data-testid="person-history">
      <h2 id="history-title" className="h5">Casi precedenti</h2>
      <ErrorAlert error={links.error ?? error} />
      {people.map((p) => {
        const mine = (links.data?.items ?? []).filter((l) => l.personId === p.id);
        const name = [p.firstName, p.lastName].filter(Boolean).join(' ') || 'Persona senza nome';
        return (
          <div key={p.id} className="mb-3">
            <h3 className="h6">{name}</h3>
            {mine.length === 0 ? <p className="text-muted small mb-1">Nessun caso precedente collegato.</p> : (
              <table className="table table-sm mb-1">
                <caption className="visually-hidden">Casi precedenti di {name}</caption>
                <thead><tr><th scope="col">Caso</th><th scope="col">Segnalato</th><th scope="col">Chiuso</th><th scope="col">Categoria</th><th scope="col">Esito</th>{canLink && <th scope="col"><span className="visually-hidden">Azioni</span></th>}</tr></thead>
                <tbody>
                  {mine.map((l) => (
                    <tr key={l.id}>
                      {l.earlierCase === null ? <td colSpan={5}><em>Caso fuori dal tuo ambito di visibilità</em></td> : (
                        <>
                          <th scope="row"><a href={`#/casi/${l.earlierCase.caseId}`}>{l.earlierCase.reference}</a></th>
                          <td>{formatDateTime(l.earlierCase.reportedAt)}</td>
                          <td>{l.earlierCase.closedAt ? formatDateTime(l.earlierCase.closedAt) : 'In corso'}</td>
                          <td>{l.earlierCase.categories.map(categoryLabel).join(', ')}</td>
                          <td>{l.earlierCase.outcomeCode ? outcomeLabel(l.earlierCase.outcomeCode) : 'In corso'}</td>
                        </>
                      )}
                      {canLink && <td><button type="button" className="btn btn-link btn-sm p-0" onClick={() => void unlink(l)}>Scollega</button></td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {canLink && <LinkSearch caseId={caseId} personId={p.id} defaultName={name === 'Persona senza nome' ? '' : name} onLinked={links.reload} linked={mine.map((l) => l.earlierPersonId)} />}
          </div>
        );
      })}
    </section>
  );
}

function LinkSearch({ caseId, personId, defaultName, onLinked, linked }: { caseId: string; personId: string; defaultName: string; onLinked: () => Promise<void>; linked: string[] }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(defaultName);
  const [birthYear, setBirthYear] = useState('');
  const [nationality, setNationality] = useState('');
  const [hits, setHits] = useState<PersonSearchHit[]>();
  const [error, setError] = useState<ApiError>();
  if (!open) return <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setOpen(true)}>Cerca nei casi precedenti</button>;

  const search = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const q = new URLSearchParams({ ...(name.trim() && { name: name.trim() }), ...(birthYear && { birthYear }), ...(nationality.trim() && { nationality: nationality.trim() }) });
    try {
      const res = await api.get<{ items: PersonSearchHit[] }>(`/api/people/search?${q.toString()}`);
      setHits(res.items.filter((h) => h.caseId !== caseId));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  };
  const link = async (hit: PersonSearchHit) => {
    setError(undefined);
    try {
      await api.post(`/api/cases/${encodeURIComponent(caseId)}/people/${encodeURIComponent(personId)}/links`, { earlierPersonId: hit.personId });
      await onLinked();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  };
  const id = `search-${personId}`;
  return (
    <form className="border rounded p-2" onSubmit={(e) => void search(e)} aria-label="Ricerca della persona nei casi precedenti">
      <p className="small text-muted mb-2">Ogni ricerca è registrata. Servono il nome, oppure anno di nascita e nazionalità.</p>
      <div className="row g-2 align-items-end">
        <div className="col-sm-4"><label className="form-label" htmlFor={`${id}-name`}>Nome e cognome</label><input id={`${id}-name`} className="form-control form-control-sm" value={name} onChange={(e) => setName(e.target.value)} /></div>
        <div className="col-sm-2"><label className="form-label" htmlFor={`${id}-year`}>Anno di nascita</label><input id={`${id}-year`} inputMode="numeric" className="form-control form-control-sm" value={birthYear} onChange={(e) => setBirthYear(e.target.value)} /></div>
        <div className="col-sm-3"><label className="form-label" htmlFor={`${id}-nat`}>Nazionalità</label><input id={`${id}-nat`} className="form-control form-control-sm" value={nationality} onChange={(e) => setNationality(e.target.value)} /></div>
        <div className="col-sm-3"><button type="submit" className="btn btn-primary btn-sm">Cerca</button></div>
      </div>
      <ErrorAlert error={error} />
      {error?.issues.map((i) => <p className="small text-danger mb-0" key={i.path}>{i.message}</p>)}
      {hits !== undefined && (hits.length === 0 ? <p className="small mt-2 mb-0">Nessuna persona trovata.</p> : (
        <ul className="list-unstyled mt-2 mb-0">
          {hits.map((h) => (
            <li key={h.personId} className="small mb-1">
              {[h.firstName, h.lastName].filter(Boolean).join(' ')}{h.birthYear ? `, ${h.birthYear}` : ''}{h.nationality ? `, ${h.nationality}` : ''} – caso {h.caseReference} del {formatDateTime(h.reportedAt)}{' '}
              {linked.includes(h.personId) ? <em>collegato</em> : <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void link(h)}>Collega</button>}
            </li>
          ))}
        </ul>
      ))}
    </form>
  );
}
