import { useState } from 'react';
import { MILESTONE_KINDS, MILESTONE_STATES, type MilestoneRow } from '../../../src/contract/milestones';
import { ComuneName, ErrorAlert, Loading, PageTitle } from '../components/ui';
import { MilestoneStateBadge } from '../components/LegalDeadlines';
import { dueText, formatDateTime, fromLocalInput } from '../format';
import { useLoad, useNow } from '../hooks';
import { MILESTONE_ACTOR_LABELS, MILESTONE_LABELS, MILESTONE_STATE_LABELS } from '../labels';
import { useSession } from '../session';

/** "Scadenze": the legal deadlines of every case the coordinator sees; due first, missed in red. */
export function Deadlines() {
  const { api } = useSession();
  const now = useNow(30_000);
  const [state, setState] = useState('');
  const [kind, setKind] = useState('');
  const [dueBefore, setDueBefore] = useState('');
  const query = new URLSearchParams();
  if (state) query.set('state', state);
  if (kind) query.set('kind', kind);
  const before = fromLocalInput(dueBefore);
  if (before) query.set('dueBefore', before);
  const qs = query.toString();
  const list = useLoad(() => api.get<{ items: MilestoneRow[] }>(`/api/milestones${qs ? `?${qs}` : ''}`), [api, qs], 30_000);

  return (
    <>
      <PageTitle>Scadenze</PageTitle>
      <p className="text-muted">Termini di legge dei casi (art. 403 c.c., Codice Rosso, MSNA): prima quelli in corso, poi quelli scaduti.</p>
      <form className="row g-2 mb-3" onSubmit={(e) => e.preventDefault()} aria-label="Filtri delle scadenze">
        <div className="col-sm-3">
          <label htmlFor="f-state" className="form-label small mb-0">Stato</label>
          <select id="f-state" className="form-select form-select-sm" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">Tutti</option>
            {MILESTONE_STATES.map((s) => <option key={s} value={s}>{MILESTONE_STATE_LABELS[s]}</option>)}
          </select>
        </div>
        <div className="col-sm-5">
          <label htmlFor="f-kind" className="form-label small mb-0">Termine</label>
          <select id="f-kind" className="form-select form-select-sm" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">Tutti</option>
            {MILESTONE_KINDS.map((k) => <option key={k} value={k}>{MILESTONE_LABELS[k]}</option>)}
          </select>
        </div>
        <div className="col-sm-4">
          <label htmlFor="f-before" className="form-label small mb-0">Entro</label>
          <input id="f-before" type="datetime-local" className="form-control form-control-sm" value={dueBefore} onChange={(e) => setDueBefore(e.target.value)} />
        </div>
      </form>
      <ErrorAlert error={list.error} />
      {!list.data ? (!list.error && <Loading />) : list.data.items.length === 0 ? <p className="text-muted">Nessuna scadenza.</p> : (
        <div className="table-responsive">
          <table className="table table-sm align-middle" data-testid="deadlines-table">
            <caption className="visually-hidden">Scadenze legali dei casi</caption>
            <thead>
              <tr>
                <th scope="col">Caso</th>
                <th scope="col">Termine</th>
                <th scope="col">A cura di</th>
                <th scope="col">Scadenza</th>
                <th scope="col">Stato</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((m) => (
                <tr key={m.id} className={m.state === 'missed' ? 'table-danger' : m.dueSoon ? 'table-warning' : ''} data-testid="deadline-row" data-state={m.state} data-due-soon={m.dueSoon ? 'true' : undefined}>
                  <td>
                    <a href={`#/casi/${m.caseId}`}>{m.case.reference}</a>
                    <span className="d-block small text-muted"><ComuneName code={m.case.competentComuneCode ?? m.case.eventComuneCode} /></span>
                  </td>
                  <td>
                    {m.label}
                    <span className="d-block small text-muted">{m.legalSource}</span>
                  </td>
                  <td className="small">{MILESTONE_ACTOR_LABELS[m.actor]}</td>
                  <td className="small">
                    {formatDateTime(m.dueAt)}
                    {m.state === 'due' && <span className="d-block">{dueText(m.dueAt, now)}</span>}
                  </td>
                  <td><MilestoneStateBadge m={m} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
