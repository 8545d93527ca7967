import { ApplicationFailure, condition, currentUpdateInfo, patched, setHandler } from '@temporalio/workflow';
import {
  type Actor,
  type CancelCaseRequest,
  type ClaimTaskRequest,
  type CompleteTaskRequest,
  type EscalateCaseRequest,
  type MoveHandoverRequest,
  type OverrideScopeRequest,
  type ReassignTaskRequest,
  CaseErrorType,
  cancelCaseUpdate,
  claimTaskUpdate,
  completeTaskUpdate,
  escalateCaseUpdate,
  getCaseQuery,
  handoverRecomputeSignal,
  type HandoverRecomputeSignal,
  moveHandoverUpdate,
  noteAddedSignal,
  type NoteAddedSignal,
  overrideScopeUpdate,
  reassignTaskUpdate,
  retryPersistenceUpdate,
  type RetryPersistenceRequest,
} from './definitions';
import { extractOutcome, validateTaskForm } from './steps/registry';
import { isPlausibleInstant, MAX_HANDOVER_MOVE_HORIZON_DAYS } from '../instants';
import { reasonText } from '../text';
import type { CaseState, CaseView, Decision, HumanTask } from './model';

import { recordDecision, ensureTask, findTask, isTaskActive, nowIso, toView, markChanged } from './state';

/**
 * Message handlers of the case workflow. Validators reject synchronously with a typed
 * ApplicationFailure (the API maps its type to an HTTP status); handlers re-check, mutate the
 * state synchronously (so concurrent calls are serialised) and answer once the read model has
 * stored the change (patch `answer-when-stored`; before it, after at most 20 s whatever the
 * read model had). A case whose write failed permanently accepts no change until a coordinator
 * retries the write: a change it cannot store is never acknowledged.
 */

function reject(type: CaseErrorType, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? [] : [details] });
}

function requireOpenCase(s: CaseState): void {
  if (s.closure) reject(CaseErrorType.CaseClosed, 'Il caso è chiuso');
  if (s.persistenceFailure) {
    reject(
      CaseErrorType.CaseBlocked,
      'Il caso è bloccato: il salvataggio nell’archivio non è riuscito. Nessuna modifica registrata; il coordinatore deve riprovare il salvataggio (supervisione)',
    );
  }
}

/** Read through a call: handlers re-read state that other code changed while they awaited. */
function currentFailure(s: CaseState): CaseState['persistenceFailure'] {
  return s.persistenceFailure;
}

/** The audit record of a decision taken in an update: the API action and the update id. */
function auditOf(action: string): Decision['audit'] {
  const info = currentUpdateInfo();
  return info === undefined ? undefined : { action, requestId: info.id };
}

function requireRole(actor: Actor, ...roles: Actor['role'][]): void {
  if (!roles.includes(actor.role)) reject(CaseErrorType.WrongRole, `Azione riservata al ruolo: ${roles.join(', ')}`);
}

function requireReason(reason: unknown): void {
  if (typeof reason !== 'string' || reason.trim().length < 3) {
    reject(CaseErrorType.InvalidRequest, 'Indicare una motivazione (almeno 3 caratteri)');
  }
}

/**
 * The API's text rule for reasons (updates can reach Temporal without the API): no control
 * characters, bounded. Run by the validators only: a validator emits no command and does not run
 * again on replay, so histories accepted before this rule replay unchanged.
 */
function requireReasonText(reason: unknown): void {
  requireReason(reason);
  const parsed = reasonText.safeParse(reason);
  if (!parsed.success) {
    reject(CaseErrorType.InvalidRequest, `Motivazione non valida: ${parsed.error.issues[0]?.message ?? 'testo non ammesso'}`, [
      { path: 'reason', message: parsed.error.issues[0]?.message ?? 'testo non ammesso' },
    ]);
  }
}

/** A plain id (what the API generates: UUIDs and the like), never free text. */
/** A waiting handover follows its Comune's office calendar (handlers `handoverRecompute`). */
export const HANDOVER_FOLLOWS_CALENDAR_PATCH = 'handover-follows-calendar';

const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

function taskFor(s: CaseState, taskId: unknown): HumanTask {
  requireOpenCase(s);
  const task = typeof taskId === 'string' ? findTask(s, taskId) : undefined;
  if (!task) reject(CaseErrorType.TaskNotFound, 'Attività non trovata');
  if (!isTaskActive(task)) reject(CaseErrorType.TaskNotOpen, 'Attività non più aperta');
  return task;
}

function checkCandidate(task: HumanTask, actor: Actor): void {
  if (actor.role !== task.candidateRole) {
    reject(CaseErrorType.WrongRole, `Attività riservata al ruolo ${task.candidateRole}`);
  }
  if (task.comuneCode !== undefined && actor.role === 'social_worker' && actor.comuneCode !== task.comuneCode) {
    reject(CaseErrorType.WrongRole, 'Attività di un altro Comune');
  }
}

/** An active task this actor may work on, not claimed by someone else (else `otherwise`). */
function workableTask(s: CaseState, taskId: string, actor: Actor, otherwise: [CaseErrorType, string]): HumanTask {
  const task = taskFor(s, taskId);
  checkCandidate(task, actor);
  if (task.status === 'claimed' && task.assigneeId !== actor.userId) reject(...otherwise);
  return task;
}

const checkClaim = (s: CaseState, taskId: string, actor: Actor): HumanTask =>
  workableTask(s, taskId, actor, [CaseErrorType.AlreadyClaimed, 'Attività già presa in carico da un altro operatore']);

const checkComplete = (s: CaseState, taskId: string, actor: Actor): HumanTask =>
  workableTask(s, taskId, actor, [CaseErrorType.NotAssignee, 'Attività assegnata a un altro operatore']);

function parseForm(s: CaseState, task: HumanTask, form: unknown): unknown {
  const result = validateTaskForm(task.type, form, { protocolRevision: s.protocolRevision });
  if (!result.ok) reject(CaseErrorType.InvalidForm, 'Modulo non valido', result.issues);
  return result.data;
}

function claim(s: CaseState, task: HumanTask, actor: Actor, audit?: Decision['audit']): void {
  if (task.status === 'claimed') return;
  const at = nowIso();
  task.status = 'claimed';
  task.assigneeId = actor.userId;
  task.claimedAt = at;
  task.history.push({ at, actorId: actor.userId, action: 'claimed' });
  recordDecision(s, actor, 'task_claimed', { taskId: task.id, type: task.type }, audit);
}

/**
 * Answers once the persistence loop has written the state up to now. A slow database makes a
 * slow answer (the API answers 202 and the caller polls), never a premature one. Histories from
 * before the patch keep their 20-second bound.
 */
async function answer(s: CaseState): Promise<CaseView> {
  const revision = s.revision;
  if (s.answersWhenStored) await condition(() => s.persisted.revision >= revision);
  else await condition(() => s.persisted.revision >= revision || s.closure !== undefined, '20 seconds');
  if (!s.leanHistory) return toView(s);
  // Lean answers (patch `lean-history`) carry only the decisions of this update: the whole
  // timeline is in the read model, and repeating it in every answer made histories quadratic.
  const requestId = currentUpdateInfo()?.id;
  return { ...toView({ ...s, decisions: [] }), decisions: s.decisions.filter((d) => requestId !== undefined && d.audit?.requestId === requestId) };
}

/**
 * The case's message handlers: each validator and handler is a method; `registerHandlers` wires
 * them in one line each. Validators check synchronously and emit no command (they do not run on
 * replay); handlers re-check what may have changed, then mutate the state.
 */
class CaseHandlers {
  /**
   * Forms parsed by `validateComplete`, by update id, for its handler. Each form is parsed once on
   * the workflow side: by the validator when it runs, else (on replay, where validators do not
   * run) by the handler. Parsing is pure, so both paths give the same value and the same
   * commands. Kept out of the state: it never survives a run or reaches the read model.
   */
  private readonly validatedForms: Record<string, unknown> = {};

  constructor(private readonly s: CaseState) {}

  view(): CaseView {
    return toView(this.s);
  }

  validateClaim({ taskId, actor }: ClaimTaskRequest): void {
    checkClaim(this.s, taskId, actor);
  }

  async claimTask({ taskId, actor }: ClaimTaskRequest): Promise<CaseView> {
    const s = this.s;
    claim(s, checkClaim(s, taskId, actor), actor, auditOf('task.claim'));
    return answer(s);
  }

  validateComplete({ taskId, actor, form }: CompleteTaskRequest): void {
    const task = checkComplete(this.s, taskId, actor);
    const data = parseForm(this.s, task, form);
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) this.validatedForms[id] = data;
  }

  async completeTask({ taskId, actor, form, submittedAt }: CompleteTaskRequest): Promise<CaseView> {
    const s = this.s;
    const task = checkComplete(s, taskId, actor);
    const id = currentUpdateInfo()?.id;
    const data = id !== undefined && id in this.validatedForms ? this.validatedForms[id] : parseForm(s, task, form);
    if (id !== undefined) delete this.validatedForms[id];
    claim(s, task, actor);
    const at = nowIso();
    task.status = 'completed';
    task.completedAt = at;
    task.completedById = actor.userId;
    task.outcome = extractOutcome(task.type, data, s.input.minorsInvolved, s.protocolRevision);
    task.history.push({ at, actorId: actor.userId, action: 'completed' });
    s.pendingSubmissions.push({
      taskId: task.id,
      type: task.type,
      form: data,
      submittedById: actor.userId,
      submittedAt: submittedAt ?? at,
    });
    recordDecision(s, actor, 'task_completed', { taskId: task.id, type: task.type, outcome: task.outcome }, auditOf('task.complete'));
    return answer(s);
  }

  private checkReassign(taskId: string, actor: Actor, assigneeId: unknown, reason: unknown): HumanTask {
    requireRole(actor, 'coordinator');
    const task = taskFor(this.s, taskId);
    if (typeof assigneeId !== 'string' || assigneeId.trim() === '') {
      reject(CaseErrorType.InvalidRequest, "Indicare l'operatore a cui assegnare l'attività");
    }
    requireReason(reason);
    return task;
  }

  validateReassign({ taskId, actor, assigneeId, reason }: ReassignTaskRequest): void {
    this.checkReassign(taskId, actor, assigneeId, reason);
    if (!PLAIN_ID.test(assigneeId)) reject(CaseErrorType.InvalidRequest, "Indicare l'operatore a cui assegnare l'attività");
    requireReasonText(reason);
  }

  async reassignTask({ taskId, actor, assigneeId, reason }: ReassignTaskRequest): Promise<CaseView> {
    const s = this.s;
    const task = this.checkReassign(taskId, actor, assigneeId, reason);
    const at = nowIso();
    const from = task.assigneeId ?? null;
    task.assigneeId = assigneeId;
    task.status = 'claimed';
    task.claimedAt = at;
    task.history.push({ at, actorId: actor.userId, action: 'reassigned', to: assigneeId });
    if (task.candidateRole === 'emergency_operator' && s.ownerId !== undefined) s.ownerId = assigneeId;
    recordDecision(s, actor, 'task_reassigned', { taskId: task.id, from, to: assigneeId, reason }, auditOf('task.reassign'));
    return answer(s);
  }

  private checkOverride(actor: Actor, reason: unknown): HumanTask {
    const s = this.s;
    requireOpenCase(s);
    requireRole(actor, 'coordinator');
    requireReason(reason);
    const review = s.tasks.find((t) => t.key === 'scope_review' && isTaskActive(t));
    if (!review) reject(CaseErrorType.TaskNotOpen, 'Nessuna verifica di competenza in corso');
    return review;
  }

  validateOverride({ actor, reason }: OverrideScopeRequest): void {
    this.checkOverride(actor, reason);
    requireReasonText(reason);
  }

  async overrideScope({ actor, reason }: OverrideScopeRequest): Promise<CaseView> {
    const s = this.s;
    const review = this.checkOverride(actor, reason);
    const at = nowIso();
    review.status = 'completed';
    review.assigneeId = actor.userId;
    review.completedAt = at;
    review.completedById = actor.userId;
    review.outcome = { decision: 'override', reason };
    review.history.push({ at, actorId: actor.userId, action: 'completed' });
    recordDecision(s, actor, 'scope_overridden', { reason }, auditOf('case.override_scope'));
    return answer(s);
  }

  /**
   * Cancel and manual escalation both need an open case, a permitted role and a reason; the
   * validator also checks the reason's text, the handler (after validation) need not.
   */
  private checkReasoned(kind: 'cancel' | 'escalate', actor: Actor, reason: unknown, validating: boolean): void {
    requireOpenCase(this.s);
    if (kind === 'cancel') requireRole(actor, 'coordinator');
    else requireRole(actor, 'coordinator', 'emergency_operator', 'intake_operator');
    requireReason(reason);
    if (kind === 'cancel' && this.s.cancelRequest) reject(CaseErrorType.CaseClosed, 'Annullamento già in corso');
    if (validating) requireReasonText(reason);
  }

  validateCancel({ actor, reason }: CancelCaseRequest): void {
    this.checkReasoned('cancel', actor, reason, true);
  }

  async cancelCase({ actor, reason }: CancelCaseRequest): Promise<CaseView> {
    const s = this.s;
    this.checkReasoned('cancel', actor, reason, false);
    s.cancelRequest = { actorId: actor.userId, actorRole: actor.role, reason, requestId: currentUpdateInfo()?.id };
    markChanged(s);
    await condition(() => s.closure !== undefined);
    return answer(s);
  }

  /**
   * Validator only (replay-safe, see requireReasonText): an ISO instant, not before the case was
   * reported nor beyond the furthest horizon any setting allows. Date.now() is workflow time.
   */
  private requirePlausibleHandover(at: string): void {
    const t = Date.parse(at);
    if (!ISO_INSTANT.test(at) || !isPlausibleInstant(at)) reject(CaseErrorType.InvalidRequest, 'Data e ora non valide (ISO 8601)', [{ path: 'at', message: 'data e ora non valide' }]);
    if (t < Date.parse(this.s.input.reportedAt) || t > Date.now() + MAX_HANDOVER_MOVE_HORIZON_DAYS * DAY_MS) {
      reject(
        CaseErrorType.InvalidRequest,
        `Data del passaggio di consegne fuori dall’intervallo ammesso (dalla segnalazione a ${MAX_HANDOVER_MOVE_HORIZON_DAYS} giorni da oggi)`,
        [{ path: 'at', message: 'data fuori dall’intervallo ammesso' }],
      );
    }
  }

  private checkMove(actor: Actor, at: unknown, reason: unknown): void {
    const s = this.s;
    requireOpenCase(s);
    requireRole(actor, 'coordinator');
    requireReason(reason);
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
      reject(CaseErrorType.InvalidRequest, 'Data e ora non valide (ISO 8601)');
    }
    if (!s.handover || s.handover.external || s.status !== 'awaiting_handover') {
      reject(CaseErrorType.TaskNotOpen, 'Il passaggio di consegne non è in attesa');
    }
  }

  validateMove({ actor, at, reason }: MoveHandoverRequest): void {
    this.checkMove(actor, at, reason);
    requireReasonText(reason);
    this.requirePlausibleHandover(at);
  }

  async moveHandover({ actor, at, reason }: MoveHandoverRequest): Promise<CaseView> {
    const s = this.s;
    this.checkMove(actor, at, reason);
    const handover = s.handover;
    if (handover) {
      const previous = handover.openingAt;
      handover.openingAt = new Date(Date.parse(at)).toISOString();
      handover.movedById = actor.userId;
      handover.moveReason = reason;
      recordDecision(s, actor, 'handover_moved', { from: previous, to: handover.openingAt, reason }, auditOf('case.move_handover'));
    }
    return answer(s);
  }

  validateEscalate({ actor, reason }: EscalateCaseRequest): void {
    this.checkReasoned('escalate', actor, reason, true);
  }

  async escalateCase({ actor, reason }: EscalateCaseRequest): Promise<CaseView> {
    const s = this.s;
    this.checkReasoned('escalate', actor, reason, false);
    const key = `escalation#manual-${s.decisions.length + 1}`;
    ensureTask(s, key, 'escalation', {
      reason: 'manual',
      dueMinutes: s.input.protocol.escalationTaskDueMinutes,
    });
    recordDecision(s, actor, 'case_escalated', { reason }, auditOf('case.escalate'));
    return answer(s);
  }

  validateRetry({ actor }: RetryPersistenceRequest): void {
    requireRole(actor, 'coordinator');
    if (!this.s.persistenceFailure) reject(CaseErrorType.NothingToRetry, 'Nessun salvataggio non riuscito da riprovare');
  }

  async retryPersistence(request: RetryPersistenceRequest): Promise<CaseView> {
    const s = this.s;
    const { actor } = request;
    this.validateRetry(request);
    const failure = s.persistenceFailure;
    s.persistenceFailure = undefined;
    recordDecision(s, actor, 'persistence_retried', { since: failure?.since ?? null, errorClass: failure?.errorClass ?? null, code: failure?.code ?? null }, auditOf('case.retry_persistence'));
    const attempt = s.decisions[s.decisions.length - 1];
    const revision = s.revision;
    // Either the write goes through, or it fails again and the coordinator hears why at once.
    await condition(() => s.persisted.revision >= revision || s.persistenceFailure !== undefined);
    const again = s.persisted.revision < revision ? currentFailure(s) : undefined;
    if (again) {
      // Not stored yet: its timeline entry and audit row will say the attempt failed.
      if (attempt?.audit) attempt.audit.outcome = 'error';
      if (attempt) attempt.data.failedAgain = true;
      reject(CaseErrorType.PersistenceFailed, `Salvataggio ancora non riuscito (${again.errorClass} ${again.code}): il caso resta bloccato`, {
        errorClass: again.errorClass,
        code: again.code,
      });
    }
    return toView(s);
  }

  /**
   * Patch `handover-follows-calendar`: a waiting handover follows its Comune's new calendar. The
   * signal carries the new opening (computed by the API or the reconciler from the calendar in
   * PostgreSQL); the durable timer in the handover walk restarts on the changed `openingAt`. A
   * handover a coordinator moved by hand stays where the coordinator put it. Replaying a case
   * that got this signal before the patch: no marker, so the signal is ignored as it was then.
   */
  handoverRecompute({ changeId, comuneCode, openingAt, reason }: HandoverRecomputeSignal): void {
    const s = this.s;
    const handover = s.handover;
    if (typeof changeId !== 'string' || !PLAIN_ID.test(changeId) || typeof openingAt !== 'string' || !ISO_INSTANT.test(openingAt)) return;
    if (typeof reason !== 'string' || reason.length === 0 || reason.length > 500) return;
    if (!handover || handover.external || handover.comuneCode !== comuneCode || handover.movedById !== undefined) return;
    if (s.status !== 'awaiting_handover' || s.closure || s.persistenceFailure) return;
    if (s.decisions.some((d) => d.kind === 'handover_recomputed' && d.data.changeId === changeId)) return;
    const to = new Date(Date.parse(openingAt)).toISOString();
    if (to === handover.openingAt) return;
    if (!patched(HANDOVER_FOLLOWS_CALENDAR_PATCH)) return;
    const from = handover.openingAt;
    handover.openingAt = to;
    recordDecision(s, 'system', 'handover_recomputed', { from, to, reason, changeId });
  }

  noteAdded({ noteId, actor, at }: NoteAddedSignal): void {
    // The signal carries only the id of a note the API stored; anything else is not ours to record.
    if (typeof noteId !== 'string' || !PLAIN_ID.test(noteId) || typeof at !== 'string' || !ISO_INSTANT.test(at)) return;
    // A retried note (same Idempotency-Key) may be signalled twice: one timeline entry per note.
    if (this.s.decisions.some((d) => d.kind === 'note_added' && d.data.noteId === noteId)) return;
    recordDecision(this.s, actor, 'note_added', { noteId, at });
  }
}

export function registerHandlers(s: CaseState): void {
  const c = new CaseHandlers(s);
  setHandler(getCaseQuery, c.view.bind(c));
  setHandler(claimTaskUpdate, c.claimTask.bind(c), { validator: c.validateClaim.bind(c) });
  setHandler(completeTaskUpdate, c.completeTask.bind(c), { validator: c.validateComplete.bind(c) });
  setHandler(reassignTaskUpdate, c.reassignTask.bind(c), { validator: c.validateReassign.bind(c) });
  setHandler(overrideScopeUpdate, c.overrideScope.bind(c), { validator: c.validateOverride.bind(c) });
  setHandler(cancelCaseUpdate, c.cancelCase.bind(c), { validator: c.validateCancel.bind(c) });
  setHandler(moveHandoverUpdate, c.moveHandover.bind(c), { validator: c.validateMove.bind(c) });
  setHandler(escalateCaseUpdate, c.escalateCase.bind(c), { validator: c.validateEscalate.bind(c) });
  setHandler(retryPersistenceUpdate, c.retryPersistence.bind(c), { validator: c.validateRetry.bind(c) });
  setHandler(noteAddedSignal, c.noteAdded.bind(c));
  setHandler(handoverRecomputeSignal, c.handoverRecompute.bind(c));
}
