import { useEffect, useMemo, useState } from 'react';
import { ApiError, type CaseState, type FieldIssue, PENDING_TEXT, type ResourceList, type TaskDetail } from '../api';
import { resourcePickerUiSchema, withDirectoryChoices } from '../components/ResourcePicker';
import { TaskForm, type TaskFormProps } from '../components/TaskForm';
import { Alert, ComuneName, DueBadge, ErrorAlert, Loading, PageTitle, RiskBadge } from '../components/ui';
import { formatDateTime } from '../format';
import { useLoad, useNow } from '../hooks';
import { roleLabel, statusLabel, stepLabel, taskStatusLabel } from '../labels';
import { useSession } from '../session';
import { claimVerdict } from './Inbox';

type Verdict = { tone: 'success' | 'warning' | 'danger' | 'info'; title: string; text?: string };

/** The verdict of the workflow on a completed form, in words. */
export function completeVerdict(err: unknown): { verdict: Verdict; issues: FieldIssue[] } {
  if (err instanceof ApiError) {
    if (err.status === 422) {
      return { verdict: { tone: 'danger', title: 'Modulo non accettato: correggere i campi indicati', text: err.issues.map((i) => i.message).join('; ') }, issues: err.issues };
    }
    if (err.code === 'RESOURCE_UNAVAILABLE') {
      return { verdict: { tone: 'warning', title: err.message, text: 'Il modulo non è stato registrato: scegliere un’altra risorsa.' }, issues: err.issues };
    }
    if (err.code === 'NOT_ASSIGNEE') return { verdict: { tone: 'warning', title: 'L’attività è assegnata a un altro operatore' }, issues: [] };
    if (err.code === 'TASK_NOT_OPEN') return { verdict: { tone: 'warning', title: 'L’attività non è più aperta' }, issues: [] };
    if (err.code === 'CASE_CLOSED') return { verdict: { tone: 'warning', title: 'Il caso è chiuso' }, issues: [] };
    return { verdict: { tone: 'danger', title: 'Operazione non riuscita', text: err.message }, issues: err.issues };
  }
  return { verdict: { tone: 'danger', title: 'Operazione non riuscita', text: String(err) }, issues: [] };
}

/** The intervention form with the network directory's picker (free units shown, type filled in). */
function InterventionForm(props: Omit<TaskFormProps, 'fieldsUiSchema' | 'onChangeData'>) {
  const { api } = useSession();
  const directory = useLoad(() => api.get<ResourceList>('/api/resources'), [api]);
  const resources = directory.data?.items ?? [];
  const ui = useMemo(() => resourcePickerUiSchema(resources), [resources]);
  // After a verdict (e.g. the last bed went to someone else) the free units shown are refreshed.
  useEffect(() => {
    if (props.serverIssues !== undefined && props.serverIssues.length > 0) void directory.reload();
  }, [props.serverIssues]);
  return (
    <>
      {directory.error && <Alert tone="warning" title="Rete delle risorse non disponibile" focus={false}>Si può indicare comunque il tipo di risorsa attivata.</Alert>}
      <TaskForm {...props} fieldsUiSchema={ui} onChangeData={(data) => withDirectoryChoices(data, resources)} />
    </>
  );
}

export function TaskPage({ id }: { id: string }) {
  const { api, session } = useSession();
  const now = useNow(15_000);
  const task = useLoad(() => api.get<TaskDetail>(`/api/tasks/${encodeURIComponent(id)}`), [api, id]);
  const [verdict, setVerdict] = useState<Verdict>();
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CaseState>();

  async function claim() {
    setBusy(true);
    setVerdict(undefined);
    try {
      await api.act(`/api/tasks/${encodeURIComponent(id)}/claim`, undefined, { onPending: () => setVerdict({ tone: 'info', title: PENDING_TEXT }) });
      setVerdict({ tone: 'success', title: 'Attività presa in carico: compilare il modulo' });
    } catch (err) {
      const v = claimVerdict(err);
      setVerdict({ tone: v.tone, title: v.text });
    } finally {
      await task.reload();
      setBusy(false);
    }
  }

  async function complete(form: Record<string, unknown>) {
    setBusy(true);
    setVerdict(undefined);
    setIssues([]);
    try {
      const data = await api.act<CaseState>(`/api/tasks/${encodeURIComponent(id)}/complete`, { form }, { onPending: () => setVerdict({ tone: 'info', title: PENDING_TEXT, text: 'Il modulo è stato ricevuto; l’esito appare qui appena il sistema lo conferma.' }) });
      setResult(data);
      setVerdict({
        tone: 'success',
        title: 'Modulo accettato: attività completata',
        text: `Caso ${data.reference}: ${statusLabel(data.status)}, fase «${stepLabel(data.step)}».`,
      });
      await task.reload();
    } catch (err) {
      const v = completeVerdict(err);
      setVerdict(v.verdict);
      setIssues(v.issues);
      if (!(err instanceof ApiError && err.status === 422)) await task.reload();
    } finally {
      setBusy(false);
    }
  }

  const t = task.data;
  if (!t) return task.error ? <ErrorAlert error={task.error} title="Attività non disponibile" /> : <Loading />;
  const active = t.status === 'open' || t.status === 'claimed';
  const mine = t.assigneeId === session.user.id;
  const canClaim = t.status === 'open' && t.candidateRole === session.user.role;

  return (
    <>
      <PageTitle>{t.label}</PageTitle>
      <p className="mb-2">
        Caso <a href={`#/casi/${t.caseId}`}>{t.case.reference}</a> · <ComuneName code={t.case.competentComuneCode ?? t.case.eventComuneCode} /> · fase «{stepLabel(t.case.step)}»
      </p>
      <div className="d-flex flex-wrap gap-1 mb-3">
        <span className="badge bg-light text-dark border" data-testid="task-status">{taskStatusLabel(t.status)}</span>
        <DueBadge dueAt={t.dueAt} now={now} active={active} />
        <RiskBadge level={t.case.riskLevel} />
        <span className="badge bg-light text-dark border">Per: {roleLabel(t.candidateRole)}</span>
      </div>
      {verdict && (
        <Alert tone={verdict.tone} title={verdict.title}>
          {verdict.text}
        </Alert>
      )}
      {result && (
        <p>
          <a className="btn btn-outline-primary btn-sm me-2" href={`#/casi/${result.caseId}`}>Apri il caso</a>
          <a className="btn btn-outline-secondary btn-sm" href="#/attivita">Torna alle attività</a>
        </p>
      )}
      {canClaim && (
        <button type="button" className="btn btn-primary mb-3" disabled={busy} onClick={() => void claim()}>
          Prendi in carico
        </button>
      )}
      {t.status === 'claimed' && !mine && <Alert tone="info" focus={false}>In carico a un altro operatore ({t.assigneeId}) dal {formatDateTime(t.claimedAt)}.</Alert>}
      {t.status === 'claimed' && mine && t.formSchema && (
        <section aria-labelledby="form-title" className="card card-body shadow-sm">
          <h2 id="form-title" className="h5">Modulo: {t.label}</h2>
          {t.type === 'intervention' ? (
            <InterventionForm schema={t.formSchema} disabled={busy} serverIssues={issues} onSubmit={(f) => void complete(f)} />
          ) : (
            <TaskForm schema={t.formSchema} disabled={busy} serverIssues={issues} onSubmit={(f) => void complete(f)} />
          )}
        </section>
      )}
      {t.status === 'completed' && (
        <p className="text-muted">
          Completata il {formatDateTime(t.completedAt)}
          {t.submission ? ` da ${t.submission.submittedById}` : ''}.
        </p>
      )}
    </>
  );
}
