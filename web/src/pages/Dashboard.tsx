import { useState } from 'react';
import type { ScanStatus as TemporalScanStatus, StuckReportPage as StuckReport, SupervisionSummary as Summary } from '../../../src/contract/supervision';
import { ApiError, type Page, PENDING_TEXT, type TaskItem } from '../api';
import { Alert, ComuneName, ErrorAlert, Loading, PageTitle, useComuni } from '../components/ui';
import { formatDateTime, formatDuration } from '../format';
import type { OnDutyList } from '../../../src/contract/alerts';
import { useLoad } from '../hooks';
import { FALLBACK_REFRESH_MS, useLiveRefresh } from '../live';
import { riskLabel, roleLabel, statusLabel, stepLabel, stuckLabel } from '../labels';
import { useSession } from '../session';
import { CoordinatorActions } from './CoordinatorActions';

/** The coordinator's dashboard: stuck cases with reason and age, counts, SLA breaches, who is on duty; refreshed by the push stream (every 60 s otherwise). */

/** Pushed changes refresh at once; time-based states (stuck by age) at least this often. */
const REFRESH_MS = FALLBACK_REFRESH_MS;
const SUPERVISION_EVENTS = ['summary.changed', 'case.changed', 'task.available', 'task.changed', 'task.closed'] as const;

/** "In servizio": who is on duty now (PUT /api/me/duty from the header's toggle). */
function OnDutyPanel() {
  const { api } = useSession();
  const duty = useLoad(() => api.get<OnDutyList>('/api/duty'), [api], REFRESH_MS);
  useLiveRefresh(['duty.changed'], duty.reload);
  return (
    <section aria-labelledby="duty-title" className="mb-4">
      <h2 id="duty-title" className="h5">
        In servizio {duty.data && <span className="badge bg-success">{duty.data.items.length}</span>}
      </h2>
      <ErrorAlert error={duty.error} />
      {!duty.data ? (
        <Loading />
      ) : duty.data.items.length === 0 ? (
        <p className="text-muted" data-testid="on-duty-empty">Nessuno in servizio: le escalation vanno per e-mail a tutti i coordinatori attivi.</p>
      ) : (
        <ul className="list-inline mb-0" data-testid="on-duty">
          {duty.data.items.map((p) => (
            <li key={p.userId} className="list-inline-item badge bg-light text-dark border me-1">
              {p.displayName} · {roleLabel(p.role)} · dalle {formatDateTime(p.since)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const TASK_TYPE_SHORT: Record<string, string> = {
  take_charge: 'Presa in carico',
  risk_check: 'Valutazione rischio',
  intervention: 'Intervento',
  welfare_recheck: 'Controllo benessere',
  handover_ack: 'Passaggio Comune',
  escalation: 'Escalation',
  scope_review: 'Competenza',
};

/** Horizontal bars, drawn inline (no chart library); the numbers are also written out. */
export function BarChart({ title, data }: { title: string; data: Array<{ label: string; value: number; tone?: string }> }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const row = 28;
  const labelW = 170;
  const width = 520;
  const height = Math.max(row, data.length * row) + 8;
  const id = title.replace(/\W+/g, '-').toLowerCase();
  return (
    <svg className="chart w-100" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ maxWidth: width }}>
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{data.map((d) => `${d.label}: ${d.value}`).join('; ') || 'Nessun dato'}</desc>
      {data.map((d, i) => {
        const w = ((width - labelW - 50) * d.value) / max;
        return (
          <g key={d.label} transform={`translate(0, ${i * row + 4})`}>
            <text x={0} y={17}>{d.label}</text>
            <rect x={labelW} y={3} width={Math.max(w, d.value > 0 ? 3 : 0)} height={row - 10} rx={3} fill={d.tone ?? '#d9364f'} />
            <text x={labelW + w + 6} y={17} fontWeight={600}>{d.value}</text>
          </g>
        );
      })}
    </svg>
  );
}

function Counts({ title, counts, label }: { title: string; counts: Record<string, number>; label: (k: string) => React.ReactNode }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <div className="col-md-4">
      <div className="card card-body shadow-sm h-100">
        <h3 className="h6">{title}</h3>
        {entries.length === 0 ? <p className="text-muted mb-0">Nessun caso.</p> : (
          <table className="table table-sm mb-0">
            <caption className="visually-hidden">{title}</caption>
            <thead><tr><th scope="col">Voce</th><th scope="col" className="text-end">Casi</th></tr></thead>
            <tbody>
              {entries.map(([k, n]) => (
                <tr key={k}><td>{label(k)}</td><td className="text-end">{n}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

function StuckActions({ caseId, persistenceFailed, onDone }: { caseId: string; persistenceFailed: boolean; onDone: () => Promise<void> }) {
  const { api } = useSession();
  const tasks = useLoad(() => api.get<Page<TaskItem>>(`/api/tasks?scope=all&caseId=${caseId}`), [api, caseId]);
  if (persistenceFailed) return <RetryPersistence caseId={caseId} onDone={onDone} />;
  if (!tasks.data) return <Loading />;
  return <CoordinatorActions caseId={caseId} tasks={tasks.data.items} onDone={async () => { await tasks.reload(); await onDone(); }} compact />;
}

/** A case whose write the database refused accepts nothing else: once the cause is fixed, retry. */
export function RetryPersistence({ caseId, onDone }: { caseId: string; onDone: () => Promise<void> }) {
  const { api } = useSession();
  const [verdict, setVerdict] = useState<{ tone: 'success' | 'danger' | 'info'; text: string }>();
  const [busy, setBusy] = useState(false);
  async function retry() {
    setBusy(true);
    setVerdict(undefined);
    try {
      await api.act(`/api/cases/${caseId}/retry-persistence`, {}, { onPending: () => setVerdict({ tone: 'info', text: PENDING_TEXT }) });
      setVerdict({ tone: 'success', text: 'Salvataggio riuscito: il caso riprende' });
      await onDone();
    } catch (err) {
      setVerdict({ tone: 'danger', text: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      {verdict && <Alert tone={verdict.tone}>{verdict.text}</Alert>}
      <p className="small mb-2">Il caso non accetta modifiche finché il salvataggio non riesce. Correggere la causa (vedi il codice dell’errore), poi riprovare.</p>
      <button type="button" className="btn btn-sm btn-primary" disabled={busy} onClick={() => void retry()}>Riprova il salvataggio</button>
    </div>
  );
}

/** "HH:MM" in Italian local time. */
function hourMinute(iso: string): string {
  return new Date(iso).toLocaleTimeString('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' });
}

/** The stuck list cannot see the engine side: said plainly, with since when. */
export function TemporalScanWarning({ status }: { status: TemporalScanStatus }) {
  return (
    <div className="alert alert-warning" role="alert" data-testid="temporal-scan-warning">
      Temporal non raggiungibile{status.failingSince ? ` dalle ${hourMinute(status.failingSince)}` : ''}: i casi bloccati lato motore non sono visibili.
      {status.lastSuccessAt ? ` Ultimo controllo riuscito: ${formatDateTime(status.lastSuccessAt)}.` : ''}
    </div>
  );
}

export function Dashboard() {
  const { api, session } = useSession();
  useComuni();
  const stuck = useLoad(() => api.get<StuckReport>('/api/supervision/stuck'), [api], REFRESH_MS);
  const summary = useLoad(() => api.get<Summary>('/api/supervision/summary'), [api], REFRESH_MS);
  useLiveRefresh(SUPERVISION_EVENTS, () => Promise.all([stuck.reload(), summary.reload()]));
  const [open, setOpen] = useState<string>();
  const isCoordinator = session.user.role === 'coordinator';
  const reload = async () => { await Promise.all([stuck.reload(), summary.reload()]); };

  const s = summary.data;
  return (
    <>
      <PageTitle>Cruscotto di supervisione</PageTitle>
      <p className="small text-muted" aria-live="polite">
        Aggiornamento automatico a ogni cambiamento{s ? ` · ultimo: ${formatDateTime(s.generatedAt)}` : ''}.
        <button type="button" className="btn btn-link btn-sm" onClick={() => void reload()}>Aggiorna ora</button>
      </p>
      <ErrorAlert error={stuck.error ?? summary.error} title="Aggiornamento non riuscito" />
      <OnDutyPanel />
      {stuck.data?.temporalScan && !stuck.data.temporalScan.ok && <TemporalScanWarning status={stuck.data.temporalScan} />}
      {stuck.data?.worker && !stuck.data.worker.polling && (
        <div className="alert alert-danger" role="alert">Nessun worker attivo sulla coda {stuck.data.worker.taskQueue}: i casi non avanzano.</div>
      )}

      <section aria-labelledby="stuck-title" className="mb-4">
        <h2 id="stuck-title" className="h5">Casi bloccati {stuck.data && <span className="badge bg-danger">{stuck.data.total}</span>}</h2>
        {!stuck.data ? <Loading /> : stuck.data.items.length === 0 ? <p className="text-muted">Nessun caso bloccato.</p> : (
          <ul className="list-group" data-testid="stuck-cases">
            {stuck.data.items.map((c) => (
              <li key={c.caseId} className="list-group-item">
                <div className="d-flex flex-wrap justify-content-between gap-2">
                  <div>
                    {isCoordinator ? <a href={`#/casi/${c.caseId}`} className="fw-semibold">{c.reference}</a> : <span className="fw-semibold">{c.reference}</span>}
                    <span className="small"> · <ComuneName code={c.comuneCode} /> · {stepLabel(c.step)} · rischio {riskLabel(c.riskLevel).toLowerCase()}</span>
                    <ul className="small mb-0">
                      {c.reasons.map((r, i) => (
                        <li key={i}><strong>{stuckLabel(r.kind)}</strong>: {r.detail}</li>
                      ))}
                    </ul>
                  </div>
                  <div className="text-end">
                    <span className="badge bg-danger">Bloccato da {formatDuration(c.stuckForMinutes * 60_000)}</span>
                    {isCoordinator && (
                      <button type="button" className="btn btn-sm btn-outline-primary d-block mt-1 ms-auto" aria-expanded={open === c.caseId} onClick={() => setOpen(open === c.caseId ? undefined : c.caseId)}>
                        Azioni<span className="visually-hidden"> per {c.reference}</span>
                      </button>
                    )}
                  </div>
                </div>
                {open === c.caseId && <div className="mt-2 border-top pt-2"><StuckActions caseId={c.caseId} persistenceFailed={c.reasons.some((r) => r.kind === 'persistence_failed')} onDone={reload} /></div>}
              </li>
            ))}
          </ul>
        )}
      </section>

      {s && (
        <>
          <section aria-labelledby="sla-title" className="mb-4">
            <h2 id="sla-title" className="h5">Violazioni dei tempi (SLA)</h2>
            <div className="card card-body shadow-sm" data-testid="sla-chart">
              <p className="mb-2">
                {s.slaBreaches.overdueCases + s.slaBreaches.takeChargeUnclaimed + s.slaBreaches.escalatedOpenTasks === 0
                  ? 'Nessuna violazione dei tempi in corso.'
                  : `Casi in ritardo: ${s.slaBreaches.overdueCases} · prese in carico scadute: ${s.slaBreaches.takeChargeUnclaimed} · attività in escalation: ${s.slaBreaches.escalatedOpenTasks}`}
              </p>
              <BarChart
                title="Violazioni SLA"
                data={[
                  { label: 'Casi in ritardo', value: s.slaBreaches.overdueCases },
                  { label: 'Prese in carico scadute', value: s.slaBreaches.takeChargeUnclaimed },
                  { label: 'Attività in escalation', value: s.slaBreaches.escalatedOpenTasks, tone: '#a66300' },
                  ...Object.entries(s.slaBreaches.overdueTasksByType).map(([type, n]) => ({ label: `Scadute: ${TASK_TYPE_SHORT[type] ?? type}`, value: n, tone: '#995c00' })),
                ]}
              />
            </div>
          </section>
          <section aria-labelledby="counts-title">
            <h2 id="counts-title" className="h5">Casi per stato, fase e Comune</h2>
            <div className="row g-3">
              <Counts title="Per stato (tutti)" counts={s.byStatus} label={statusLabel} />
              <Counts title="Per fase (aperti)" counts={s.byStep} label={stepLabel} />
              <Counts title="Per Comune (aperti)" counts={s.byComune} label={(k) => <ComuneName code={k} />} />
            </div>
          </section>
        </>
      )}
    </>
  );
}
