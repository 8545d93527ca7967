import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, type CaseTask, type Page, PENDING_TEXT, type UserRef } from '../api';
import { Alert } from '../components/ui';
import { fromLocalInput, toLocalInput } from '../format';
import { useSession } from '../session';

/** The coordinator's actions on a case: reassign a task, escalate, move the handover, cancel. */

type Action = 'reassign' | 'escalate' | 'move-handover' | 'cancel';
const ACTION_TEXT: Record<Action, string> = {
  reassign: 'Riassegna un’attività',
  escalate: 'Segnala (escalation)',
  'move-handover': 'Sposta il passaggio al Comune',
  cancel: 'Annulla il caso',
};
const DONE_TEXT: Record<Action, string> = {
  reassign: 'Attività riassegnata',
  escalate: 'Escalation registrata',
  'move-handover': 'Passaggio di consegne spostato',
  cancel: 'Caso annullato',
};

export function CoordinatorActions({ caseId, tasks, onDone, compact }: { caseId: string; tasks: CaseTask[]; onDone: () => Promise<void>; compact?: boolean }) {
  const { api } = useSession();
  const [action, setAction] = useState<Action>('reassign');
  const [taskId, setTaskId] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [users, setUsers] = useState<UserRef[]>([]);
  const [reason, setReason] = useState('');
  const [at, setAt] = useState(() => toLocalInput(new Date()));
  const [verdict, setVerdict] = useState<{ tone: 'success' | 'danger' | 'info'; text: string }>();
  const [busy, setBusy] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const task = tasks.find((t) => t.id === taskId);

  useEffect(() => {
    if (!task) {
      setUsers([]);
      return;
    }
    const q = new URLSearchParams({ role: task.candidateRole });
    if (task.comuneCode) q.set('comune', task.comuneCode);
    api.get<Page<UserRef>>(`/api/reference/users?${q.toString()}`).then(
      (p) => setUsers(p.items),
      () => setUsers([]),
    );
  }, [api, task]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setVerdict(undefined);
    if (reason.trim().length < 3) {
      setVerdict({ tone: 'danger', text: 'Indicare il motivo (almeno 3 caratteri)' });
      return;
    }
    if (action === 'reassign' && (!taskId || !assigneeId)) {
      setVerdict({ tone: 'danger', text: 'Scegliere l’attività e l’operatore' });
      return;
    }
    if (action === 'cancel' && !confirmCancel) {
      setVerdict({ tone: 'danger', text: 'Confermare l’annullamento: il caso verrà chiuso' });
      return;
    }
    setBusy(true);
    try {
      const pending = { onPending: () => setVerdict({ tone: 'info', text: PENDING_TEXT }) };
      if (action === 'reassign') await api.act(`/api/tasks/${taskId}/reassign`, { assigneeId, reason: reason.trim() }, pending);
      else if (action === 'move-handover') await api.act(`/api/cases/${caseId}/move-handover`, { at: fromLocalInput(at), reason: reason.trim() }, pending);
      else await api.act(`/api/cases/${caseId}/${action}`, { reason: reason.trim() }, pending);
      setVerdict({ tone: 'success', text: DONE_TEXT[action] });
      setReason('');
      await onDone();
    } catch (err) {
      setVerdict({ tone: 'danger', text: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  const prefix = `act-${caseId.slice(0, 8)}`;
  return (
    <section className={compact ? '' : 'card card-body shadow-sm mb-3'} aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`} className={compact ? 'h6' : 'h5'}>Azioni del coordinatore</h2>
      {verdict && <Alert tone={verdict.tone}>{verdict.text}</Alert>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={`${prefix}-action`} className="form-label">Azione</label>
        <select id={`${prefix}-action`} className="form-select mb-2" value={action} onChange={(e) => setAction(e.target.value as Action)}>
          {(Object.keys(ACTION_TEXT) as Action[]).map((a) => (
            <option key={a} value={a}>{ACTION_TEXT[a]}</option>
          ))}
        </select>
        {action === 'reassign' && (
          <>
            <label htmlFor={`${prefix}-task`} className="form-label">Attività</label>
            <select id={`${prefix}-task`} className="form-select mb-2" value={taskId} onChange={(e) => { setTaskId(e.target.value); setAssigneeId(''); }}>
              <option value="">Scegliere…</option>
              {tasks.map((t) => (
                <option key={t.id} value={t.id}>{t.label}{t.assigneeId ? ` (ora: ${t.assigneeId})` : ''}</option>
              ))}
            </select>
            <label htmlFor={`${prefix}-user`} className="form-label">Nuovo assegnatario</label>
            <select id={`${prefix}-user`} className="form-select mb-2" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)} disabled={!task}>
              <option value="">Scegliere…</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>{u.displayName}</option>
              ))}
            </select>
          </>
        )}
        {action === 'move-handover' && (
          <>
            <label htmlFor={`${prefix}-at`} className="form-label">Nuova data e ora del passaggio</label>
            <input id={`${prefix}-at`} type="datetime-local" className="form-control mb-2" value={at} onChange={(e) => setAt(e.target.value)} />
          </>
        )}
        <label htmlFor={`${prefix}-reason`} className="form-label">Motivo</label>
        <input id={`${prefix}-reason`} className="form-control mb-2" value={reason} onChange={(e) => setReason(e.target.value)} />
        {action === 'cancel' && (
          <div className="form-check mb-2">
            <input id={`${prefix}-confirm`} type="checkbox" className="form-check-input" checked={confirmCancel} onChange={(e) => setConfirmCancel(e.target.checked)} />
            <label htmlFor={`${prefix}-confirm`} className="form-check-label">Confermo: il caso verrà chiuso come annullato</label>
          </div>
        )}
        <button type="submit" className={`btn btn-sm ${action === 'cancel' ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
          {ACTION_TEXT[action]}
        </button>
      </form>
    </section>
  );
}
