import { useState } from 'react';
import { type CaseRow, type Page, PENDING_TEXT, type TaskItem } from '../api';
import { Alert, ComuneName, DueBadge, ErrorAlert, Loading, PageTitle, RiskBadge } from '../components/ui';
import { formatDateTime, formatLongDateTime } from '../format';
import { useLoad, useNow } from '../hooks';
import { FALLBACK_REFRESH_MS, useLiveRefresh } from '../live';
import { categoryLabel, outcomeLabel, statusLabel } from '../labels';
import { navigate } from '../router';
import { useSession } from '../session';
import { claimVerdict } from './Inbox';

/** The municipal social worker's view: cases handed over to their Comune and the handovers to acknowledge. */

export function ComuneView() {
  const { api, session } = useSession();
  const now = useNow(15_000);
  const [verdict, setVerdict] = useState<{ tone: 'warning' | 'danger' | 'info'; text: string }>();
  const acks = useLoad(() => api.get<Page<TaskItem>>('/api/tasks?type=handover_ack&limit=100'), [api], FALLBACK_REFRESH_MS);
  useLiveRefresh(['task.available', 'task.changed', 'task.closed'], acks.reload);
  const incoming = useLoad(
    async () => {
      const [handover, waiting, closed] = await Promise.all([
        api.get<Page<CaseRow>>('/api/cases?status=handover&sort=handoverAt&order=asc&limit=100'),
        api.get<Page<CaseRow>>('/api/cases?status=awaiting_handover&sort=handoverAt&order=asc&limit=100'),
        api.get<Page<CaseRow>>('/api/cases?status=closed&sort=createdAt&order=desc&limit=20'),
      ]);
      return { current: [...handover.items, ...waiting.items], closed: closed.items };
    },
    [api],
    15_000,
  );

  async function acknowledge(task: TaskItem) {
    setVerdict(undefined);
    try {
      if (task.status === 'open') await api.act(`/api/tasks/${task.id}/claim`, undefined, { onPending: () => setVerdict({ tone: 'info', text: PENDING_TEXT }) });
      navigate(`/attivita/${task.id}`);
    } catch (err) {
      setVerdict(claimVerdict(err));
      await acks.reload();
    }
  }

  return (
    <>
      <PageTitle>Passaggi di consegne – Comune di <ComuneName code={session.user.comuneCode} /></PageTitle>
      <p className="small text-muted">
        Aggiornamento automatico ogni 15 secondi.
        <button type="button" className="btn btn-link btn-sm" onClick={() => void Promise.all([acks.reload(), incoming.reload()])}>Aggiorna ora</button>
      </p>
      {verdict && <Alert tone={verdict.tone}>{verdict.text}</Alert>}
      <section aria-labelledby="acks-title" className="mb-4">
        <h2 id="acks-title" className="h5">Da prendere in visione</h2>
        <ErrorAlert error={acks.error} />
        {!acks.data ? <Loading /> : acks.data.items.length === 0 ? <p className="text-muted">Nessun passaggio di consegne da prendere in visione.</p> : (
          <ul className="list-group" data-testid="handover-acks">
            {acks.data.items.map((t) => (
              <li key={t.id} className="list-group-item d-flex flex-wrap justify-content-between gap-2" data-task-id={t.id}>
                <div>
                  <a href={`#/casi/${t.caseId}`} className="fw-semibold">Caso {t.case.reference}</a>
                  <div className="d-flex flex-wrap gap-1 mt-1">
                    <DueBadge dueAt={t.dueAt} now={now} />
                    <RiskBadge level={t.case.riskLevel} />
                  </div>
                </div>
                <button type="button" className="btn btn-sm btn-primary" onClick={() => void acknowledge(t)}>
                  {t.status === 'open' ? 'Prendi visione' : 'Completa la presa visione'}<span className="visually-hidden"> del caso {t.case.reference}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="incoming-title" className="mb-4">
        <h2 id="incoming-title" className="h5">Casi in arrivo al Comune</h2>
        <ErrorAlert error={incoming.error} />
        {!incoming.data ? <Loading /> : incoming.data.current.length === 0 ? <p className="text-muted">Nessun caso in arrivo.</p> : (
          <ul className="list-group" data-testid="incoming-cases">
            {incoming.data.current.map((c) => (
              <li key={c.id} className="list-group-item">
                <a href={`#/casi/${c.id}`} className="fw-semibold">{c.reference}</a> – {statusLabel(c.status)}
                <div className="small">
                  Passaggio: {formatLongDateTime(c.handoverAt)} · {c.categories.map(categoryLabel).join(', ')} <RiskBadge level={c.riskLevel} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="closed-title">
        <h2 id="closed-title" className="h5">Casi chiusi di recente</h2>
        {incoming.data && incoming.data.closed.length === 0 && <p className="text-muted">Nessuno.</p>}
        {incoming.data && incoming.data.closed.length > 0 && (
          <ul className="list-group">
            {incoming.data.closed.map((c) => (
              <li key={c.id} className="list-group-item">
                <a href={`#/casi/${c.id}`}>{c.reference}</a> – {outcomeLabel(c.outcomeCode)} ({formatDateTime(c.closedAt)})
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
