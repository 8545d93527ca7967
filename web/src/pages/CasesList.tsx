import { useState } from 'react';
import type { CaseRow, Page } from '../api';
import { ComuneName, ErrorAlert, Loading, PageTitle, RiskBadge } from '../components/ui';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { FALLBACK_REFRESH_MS, useLiveRefresh } from '../live';
import { STATUS_LABELS, statusLabel, stepLabel } from '../labels';
import { useSession } from '../session';

/** Cases the user may see (the API applies the Comune scope), newest report first. */
export function CasesList() {
  const { api, session } = useSession();
  const [status, setStatus] = useState('active');
  const list = useLoad(() => api.get<Page<CaseRow>>(`/api/cases?status=${status}&limit=100`), [api, status], FALLBACK_REFRESH_MS);
  useLiveRefresh(['case.changed'], list.reload);
  const canOpen = session.user.role !== 'admin';
  return (
    <>
      <PageTitle>Casi</PageTitle>
      <div className="mb-3" style={{ maxWidth: '20rem' }}>
        <label htmlFor="status-filter" className="form-label">Stato</label>
        <select id="status-filter" className="form-select" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="active">Tutti i casi aperti</option>
          {Object.entries(STATUS_LABELS).map(([code, text]) => (
            <option key={code} value={code}>{text}</option>
          ))}
        </select>
      </div>
      <ErrorAlert error={list.error} />
      {!list.data ? <Loading /> : list.data.items.length === 0 ? <p className="text-muted">Nessun caso.</p> : (
        <div className="table-responsive">
          <table className="table table-hover bg-white" data-testid="cases-table">
            <caption>{list.data.total} casi</caption>
            <thead>
              <tr><th scope="col">Caso</th><th scope="col">Stato</th><th scope="col">Fase</th><th scope="col">Rischio</th><th scope="col">Comune</th><th scope="col">Segnalato</th></tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{canOpen ? <a href={`#/casi/${c.id}`}>{c.reference}</a> : c.reference}</th>
                  <td>{statusLabel(c.status)}</td>
                  <td>{stepLabel(c.step)}</td>
                  <td><RiskBadge level={c.riskLevel} /></td>
                  <td><ComuneName code={c.competentComuneCode ?? c.eventComuneCode} /></td>
                  <td>{formatDateTime(c.reportedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
