import { type FormEvent, useState } from 'react';
import { ApiError, type CaseFile } from '../api';
import { Alert, ComuneName, DueBadge, ErrorAlert, Loading, PageTitle, RiskBadge } from '../components/ui';
import { formatDateTime, formatLongDateTime } from '../format';
import { useLoad, useNow } from '../hooks';
import { FALLBACK_REFRESH_MS, useLiveRefresh } from '../live';
import {
  categoryLabel,
  dangerLabel,
  deadlineLabel,
  flagLabel,
  forceLabel,
  genderLabel,
  outcomeLabel,
  personRoleLabel,
  roleLabel,
  statusLabel,
  stepLabel,
  taskStatusLabel,
  timelineLabel,
} from '../labels';
import { useSession } from '../session';
import { CoordinatorActions } from './CoordinatorActions';
import { PersonHistory } from './PersonHistory';
import { LegalDeadlines } from '../components/LegalDeadlines';
import { CaseResources } from '../components/CaseResources';

/** The case file: where it stands, who is involved, tasks, deadlines, timeline and notes. */

const CASE_EVENTS = ['case.changed', 'task.available', 'task.changed', 'task.closed'] as const;

export function CasePage({ id }: { id: string }) {
  const { api, session } = useSession();
  const now = useNow(15_000);
  const file = useLoad(() => api.get<CaseFile>(`/api/cases/${encodeURIComponent(id)}`), [api, id], FALLBACK_REFRESH_MS);
  useLiveRefresh(CASE_EVENTS, file.reload, (e) => e.data.caseId === id);

  if (!file.data) {
    if (file.error) {
      const title = file.error.status === 403 ? 'Accesso negato' : file.error.status === 404 ? 'Caso non trovato' : 'Caso non disponibile';
      return (
        <>
          <PageTitle>{title}</PageTitle>
          <ErrorAlert error={file.error} title={title} />
        </>
      );
    }
    return <Loading />;
  }
  const { case: c, report, people, tasks, timeline, notes, placements, deadlines, handover } = file.data;
  const closed = c.status === 'closed';
  const taskLabels = new Map([...tasks.open, ...tasks.past].map((t) => [t.id, t.label]));
  const timelineTask = (data: Record<string, unknown>) => (typeof data.taskId === 'string' ? taskLabels.get(data.taskId) : undefined);

  return (
    <>
      <PageTitle>Caso {c.reference}</PageTitle>
      <ErrorAlert error={file.error} title="Aggiornamento non riuscito" />
      <p className="small text-muted mb-1">
        Aggiornamento automatico ogni 15 secondi.
        <button type="button" className="btn btn-link btn-sm" onClick={() => void file.reload()}>Aggiorna ora</button>
      </p>
      <div className="d-flex flex-wrap gap-1 mb-3" data-testid="case-summary">
        <span className="badge bg-primary" data-testid="case-status">{statusLabel(c.status)}</span>
        <span className="badge bg-light text-dark border" data-testid="case-step">Fase: {stepLabel(c.step)}</span>
        <RiskBadge level={c.riskLevel} />
        {c.flags.map((f) => (
          <span key={f} className="badge bg-warning text-dark">{flagLabel(f)}</span>
        ))}
        {c.overdueSince && <span className="badge bg-danger">In ritardo dal {formatDateTime(c.overdueSince)}</span>}
      </div>
      {closed && (
        <Alert tone="info" focus={false} title={`Chiuso: ${outcomeLabel(c.outcomeCode)}`}>
          {c.outcomeReason} {c.closedAt && `(${formatDateTime(c.closedAt)})`}
        </Alert>
      )}
      <div className="row g-3">
        <div className="col-lg-7">
          <section className="card card-body shadow-sm mb-3" aria-labelledby="report-title">
            <h2 id="report-title" className="h5">Segnalazione</h2>
            <dl className="row kv mb-0">
              <dt className="col-sm-5">Segnalante</dt>
              <dd className="col-sm-7">{forceLabel(c.reportingForce ?? report?.reportingForce)}{report?.officerName ? ` – ${report.officerName}` : ''}</dd>
              {report?.callbackNumber && (<><dt className="col-sm-5">Numero di richiamata</dt><dd className="col-sm-7"><a href={`tel:${report.callbackNumber}`}>{report.callbackNumber}</a></dd></>)}
              <dt className="col-sm-5">Numero segnalazione</dt>
              <dd className="col-sm-7">{c.reportNumber ?? report?.reportNumber}</dd>
              <dt className="col-sm-5">Ora della segnalazione</dt>
              <dd className="col-sm-7">{formatDateTime(c.reportedAt)}</dd>
              <dt className="col-sm-5">Luogo dell’evento</dt>
              <dd className="col-sm-7">{report?.eventAddress ? `${report.eventAddress}, ` : ''}<ComuneName code={c.eventComuneCode} /></dd>
              <dt className="col-sm-5">Comune competente</dt>
              <dd className="col-sm-7" data-testid="competent-comune">{c.competentComuneCode ? <ComuneName code={c.competentComuneCode} /> : 'da determinare'}{c.externalHandover ? ' (fuori Ambito)' : ''}</dd>
              <dt className="col-sm-5">Categorie</dt>
              <dd className="col-sm-7">{c.categories.map(categoryLabel).join(', ')}</dd>
              {report?.immediateDangers && report.immediateDangers.length > 0 && (<><dt className="col-sm-5">Pericoli immediati</dt><dd className="col-sm-7">{report.immediateDangers.map(dangerLabel).join(', ')}</dd></>)}
            </dl>
            {report?.narrative && <p className="mt-2 mb-0"><strong>Descrizione:</strong> {report.narrative}</p>}
          </section>

          <section className="card card-body shadow-sm mb-3" aria-labelledby="people-title">
            <h2 id="people-title" className="h5">Persone</h2>
            {people.length === 0 ? <p className="text-muted mb-0">Nessun dato personale visibile.</p> : (
              <ul className="list-unstyled mb-0">
                {people.map((p) => (
                  <li key={p.id} className="mb-1">
                    <strong>{[p.firstName, p.lastName].filter(Boolean).join(' ') || 'Persona senza nome'}</strong> – {personRoleLabel(p.role)}
                    {p.birthYear ? `, nato/a nel ${p.birthYear}` : ''}
                    {p.gender ? `, ${genderLabel(p.gender)}` : ''}
                    {p.nationality ? `, ${p.nationality}` : ''}
                    {p.isMinor && <span className="badge bg-warning text-dark ms-1">Minore</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>

          {people.length > 0 && <PersonHistory caseId={c.id} people={people} />}

          {placements.length > 0 && (
            <section className="card card-body shadow-sm mb-3" aria-labelledby="placements-title">
              <h2 id="placements-title" className="h5">Collocamenti protetti</h2>
              <ul className="list-unstyled mb-0">
                {placements.map((p) => (
                  <li key={p.id} data-testid="placement">
                    {formatDateTime(p.placedAt)} – {p.addressHidden || p.address === null ? <em>Indirizzo riservato (visibile solo ai ruoli autorizzati)</em> : p.address}
                  </li>
                ))}
              </ul>
            </section>
          )}

          <CaseResources caseId={c.id} />

          <section className="card card-body shadow-sm mb-3" aria-labelledby="tasks-title">
            <h2 id="tasks-title" className="h5">Attività</h2>
            <h3 className="h6">Aperte</h3>
            {tasks.open.length === 0 ? <p className="text-muted">Nessuna attività aperta.</p> : (
              <ul className="list-group mb-3" data-testid="open-tasks">
                {tasks.open.map((t) => (
                  <li key={t.id} className="list-group-item d-flex flex-wrap justify-content-between gap-2">
                    <span>
                      <a href={`#/attivita/${t.id}`}>{t.label}</a> – {taskStatusLabel(t.status)}
                      {t.assigneeId ? ` (${t.assigneeId})` : ` (${roleLabel(t.candidateRole)})`}
                    </span>
                    <DueBadge dueAt={t.dueAt} now={now} />
                  </li>
                ))}
              </ul>
            )}
            <h3 className="h6">Concluse</h3>
            {tasks.past.length === 0 ? <p className="text-muted mb-0">Nessuna.</p> : (
              <ul className="list-group" data-testid="past-tasks">
                {tasks.past.map((t) => (
                  <li key={t.id} className="list-group-item">
                    {t.label} – {taskStatusLabel(t.status)} {t.completedAt && `il ${formatDateTime(t.completedAt)}`}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>

        <div className="col-lg-5">
          <section className="card card-body shadow-sm mb-3" aria-labelledby="deadlines-title">
            <h2 id="deadlines-title" className="h5">Scadenze</h2>
            {c.handoverAt && (
              <p className="mb-2" data-testid="handover-deadline">
                <strong>Passaggio al Comune di <ComuneName code={c.competentComuneCode} />:</strong> {formatLongDateTime(c.handoverAt)}
              </p>
            )}
            {deadlines.length === 0 ? <p className="text-muted mb-0">Nessuna scadenza aperta.</p> : (
              <ul className="list-unstyled mb-0">
                {deadlines.map((d, i) => (
                  <li key={i} className="mb-1">
                    {deadlineLabel(d.kind)}{d.type ? ` (${tasks.open.find((t) => t.id === d.taskId)?.label ?? d.type})` : ''}: {formatDateTime(d.at)} <DueBadge dueAt={d.at} now={now} />
                  </li>
                ))}
              </ul>
            )}
            {handover && (
              <p className="small text-muted mt-2 mb-0">
                Riepilogo del caso pronto per l’apertura dell’ufficio del {formatDateTime(handover.openingAt)}{handover.external ? ' (Comune fuori Ambito)' : ''}.
              </p>
            )}
          </section>

          {session.user.role !== 'intake_operator' && session.user.role !== 'admin' && <LegalDeadlines caseId={c.id} />}

          {session.user.role === 'coordinator' && !closed && <CoordinatorActions caseId={c.id} tasks={tasks.open} onDone={file.reload} />}

          <Notes caseId={c.id} closed={closed} onAdded={file.reload} notes={notes} />

          <section className="card card-body shadow-sm mb-3" aria-labelledby="timeline-title">
            <h2 id="timeline-title" className="h5">Cronologia delle decisioni</h2>
            <ol className="timeline mb-0" data-testid="timeline">
              {timeline.map((e) => (
                <li key={e.id}>
                  <span className="small text-muted">{formatDateTime(e.at)}</span> – <strong>{timelineLabel(e.kind)}</strong>
                  {timelineTask(e.data) && <>: {timelineTask(e.data)}</>}
                  <span className="small"> ({e.actorRole === 'system' ? 'sistema' : `${roleLabel(e.actorRole)} ${e.actorId}`})</span>
                  {typeof e.data.reason === 'string' && <span className="d-block small">Motivo: {e.data.reason}</span>}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
    </>
  );
}

function Notes({ caseId, closed, notes, onAdded }: { caseId: string; closed: boolean; notes: CaseFile['notes']; onAdded: () => Promise<void> }) {
  const { api } = useSession();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  async function add(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    if (!text.trim()) {
      setError('Scrivere il testo della nota');
      return;
    }
    try {
      await api.post(`/api/cases/${caseId}/notes`, { text: text.trim() });
      setText('');
      setError(undefined);
      setSaved(true);
      await onAdded();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <section className="card card-body shadow-sm mb-3" aria-labelledby="notes-title">
      <h2 id="notes-title" className="h5">Note di turno</h2>
      {notes.length === 0 ? <p className="text-muted">Nessuna nota.</p> : (
        <ul className="list-unstyled" data-testid="notes">
          {notes.map((n) => (
            <li key={n.id} className="mb-2">
              <span className="small text-muted">{formatDateTime(n.createdAt)} – {roleLabel(n.authorRole)} {n.authorId}</span>
              <span className="d-block">{n.text}</span>
            </li>
          ))}
        </ul>
      )}
      {!closed && (
        <form onSubmit={(e) => void add(e)} noValidate>
          <label htmlFor="note-text" className="form-label">Nuova nota</label>
          <textarea id="note-text" className={`form-control ${error ? 'is-invalid' : ''}`} rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={error ? 'note-error' : undefined} />
          {error && <div id="note-error" className="invalid-feedback d-block">{error}</div>}
          {saved && <p role="status" className="text-success small mb-0">Nota salvata.</p>}
          <button type="submit" className="btn btn-outline-primary btn-sm mt-2">Aggiungi nota</button>
        </form>
      )}
    </section>
  );
}
