import { useState } from 'react';
import { ApiError, type Page, PENDING_TEXT, type TaskItem } from '../api';
import { Alert, ComuneName, DueBadge, ErrorAlert, Loading, PageTitle, RiskBadge } from '../components/ui';
import { useLoad, useNow } from '../hooks';
import { FALLBACK_REFRESH_MS, useLiveRefresh } from '../live';
import { roleLabel, statusLabel, taskStatusLabel } from '../labels';
import { navigate } from '../router';
import { useSession } from '../session';

/** My tasks and my role's unclaimed ones, soonest due first, refreshed when the push stream says a task changed (every 60 s otherwise). */

export function claimVerdict(err: unknown): { tone: 'warning' | 'danger'; text: string } {
  if (err instanceof ApiError) {
    if (err.code === 'ALREADY_CLAIMED') return { tone: 'warning', text: 'Attività già presa in carico da un altro operatore.' };
    if (err.code === 'TASK_NOT_OPEN') return { tone: 'warning', text: 'L’attività non è più aperta.' };
    return { tone: 'danger', text: err.message };
  }
  return { tone: 'danger', text: String(err) };
}

function TaskRow({ task, now, action }: { task: TaskItem; now: number; action: React.ReactNode }) {
  return (
    <li className={`list-group-item task-row ${task.overdue ? 'task-overdue' : ''}`} data-task-id={task.id} data-task-type={task.type}>
      <div className="d-flex flex-wrap justify-content-between align-items-start gap-2">
        <div>
          <a href={`#/attivita/${task.id}`} className="fw-semibold">
            {task.label}
          </a>
          <div className="small text-muted">
            Caso <a href={`#/casi/${task.caseId}`}>{task.case.reference}</a> · <ComuneName code={task.case.competentComuneCode ?? task.case.eventComuneCode} /> · {statusLabel(task.case.status)}
          </div>
          <div className="d-flex flex-wrap gap-1 mt-1">
            <DueBadge dueAt={task.dueAt} now={now} />
            <RiskBadge level={task.case.riskLevel} />
            <span className="badge bg-light text-dark border">{taskStatusLabel(task.status)}</span>
            {task.escalatedAt && <span className="badge bg-danger">Segnalata al coordinatore</span>}
          </div>
        </div>
        <div>{action}</div>
      </div>
    </li>
  );
}

const TASK_EVENTS = ['task.available', 'task.changed', 'task.closed'] as const;

export function Inbox() {
  const { api, session } = useSession();
  const now = useNow(15_000);
  const [verdict, setVerdict] = useState<{ tone: 'success' | 'warning' | 'danger' | 'info'; text: string }>();
  const [busy, setBusy] = useState<string>();
  const mine = useLoad(() => api.get<Page<TaskItem>>('/api/tasks?scope=mine&limit=100'), [api], FALLBACK_REFRESH_MS);
  const available = useLoad(() => api.get<Page<TaskItem>>('/api/tasks?scope=available&limit=100'), [api], FALLBACK_REFRESH_MS);
  useLiveRefresh(TASK_EVENTS, () => Promise.all([mine.reload(), available.reload()]));

  async function claim(task: TaskItem) {
    setBusy(task.id);
    setVerdict(undefined);
    try {
      await api.act(`/api/tasks/${task.id}/claim`, undefined, { onPending: () => setVerdict({ tone: 'info', text: `${PENDING_TEXT}: presa in carico di «${task.label}»` }) });
      setVerdict({ tone: 'success', text: `Attività «${task.label}» del caso ${task.case.reference} presa in carico.` });
      navigate(`/attivita/${task.id}`);
    } catch (err) {
      setVerdict(claimVerdict(err));
      await Promise.all([mine.reload(), available.reload()]);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      <PageTitle>Attività</PageTitle>
      <p className="small text-muted">
        Aggiornamento automatico all’arrivo di nuove attività.
        <button type="button" className="btn btn-link btn-sm" onClick={() => void Promise.all([mine.reload(), available.reload()])}>Aggiorna ora</button>
      </p>
      {verdict && <Alert tone={verdict.tone}>{verdict.text}</Alert>}
      <section aria-labelledby="mine-title" className="mb-4">
        <h2 id="mine-title" className="h5">
          Le mie attività {mine.data && <span className="badge bg-primary">{mine.data.total}</span>}
        </h2>
        <ErrorAlert error={mine.error} />
        {mine.loading && !mine.data ? (
          <Loading />
        ) : mine.data?.items.length ? (
          <ul className="list-group" data-testid="my-tasks">
            {mine.data.items.map((t) => (
              <TaskRow key={t.id} task={t} now={now} action={<a className="btn btn-sm btn-primary" href={`#/attivita/${t.id}`}>Apri</a>} />
            ))}
          </ul>
        ) : (
          <p className="text-muted">Nessuna attività assegnata a te.</p>
        )}
      </section>
      <section aria-labelledby="available-title">
        <h2 id="available-title" className="h5">
          Da prendere in carico – {roleLabel(session.user.role)} {available.data && <span className="badge bg-secondary">{available.data.total}</span>}
        </h2>
        <ErrorAlert error={available.error} />
        {available.loading && !available.data ? (
          <Loading />
        ) : available.data?.items.length ? (
          <ul className="list-group" data-testid="available-tasks">
            {available.data.items.map((t) => (
              <TaskRow
                key={t.id}
                task={t}
                now={now}
                action={
                  <button type="button" className="btn btn-sm btn-outline-primary" disabled={busy === t.id} onClick={() => void claim(t)}>
                    Prendi in carico<span className="visually-hidden"> {t.label} {t.case.reference}</span>
                  </button>
                }
              />
            ))}
          </ul>
        ) : (
          <p className="text-muted">Nessuna attività libera per il tuo ruolo.</p>
        )}
      </section>
    </>
  );
}
