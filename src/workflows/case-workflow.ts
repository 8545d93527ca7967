import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { type CaseActivities, PERSISTENCE_FAILED, type PersistenceFailureInfo } from './activity-types';
import type { CaseWorkflowInput } from './definitions';
import type { CaseState, CaseView, HumanTask, Reminder } from './model';
import { registerHandlers } from './handlers';
import { runProtocol } from './protocol';
import { startingProtocolRevision } from './protocol-revision';
import {
  SA_CATEGORIES,
  SA_COMUNE,
  SA_OPEN_TASK_ROLES,
  SA_OVERDUE_SINCE,
  SA_PROTOCOL_REVISION,
  SA_RISK,
  SA_STATUS,
  SA_STEP,
} from './search-attributes';
import { StoredParts, toSnapshot } from './snapshot';
import { closeCase } from './steps/closure/close';
import {
  recordDecision,
  ensureTask,
  isTaskActive,
  MINUTE,
  newCaseState,
  notify,
  nowIso,
  openTaskRoles,
  toView,
} from './state';

const { persistCase, reportPersistenceFailure } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Updates answer once their change is stored (handlers.ts `answer`). */
export const ANSWER_WHEN_STORED_PATCH = 'answer-when-stored';
/** Writes carry only what changed; updates answer without the timeline (model.ts `leanHistory`). */
export const LEAN_HISTORY_PATCH = 'lean-history';

/**
 * One emergency, one workflow. Three cooperating loops share the plain-JSON state: the protocol
 * (steps and branches), the watchdog (reminders, escalations, overdue markers) and the
 * persistence loop (read model, timeline, forms, notifications, search attributes).
 */
export async function pisCaseWorkflow(input: CaseWorkflowInput, resumed?: CaseState): Promise<CaseView> {
  const s = resumed ?? newCaseState(input);
  if (!resumed) s.protocolRevision = startingProtocolRevision();
  // Decided once per case (kept across continue-as-new); cases in flight keep their old answers.
  if (s.answersWhenStored === undefined && patched(ANSWER_WHEN_STORED_PATCH)) s.answersWhenStored = true;
  if (s.leanHistory === undefined && patched(LEAN_HISTORY_PATCH)) s.leanHistory = true;
  registerHandlers(s);
  if (!resumed) recordDecision(s, input.createdBy, 'case_opened', { reference: input.reference, categories: input.categories });

  const runtime = { stopping: false };
  const persistence = persistLoop(s, runtime);
  const watchdog = watchdogLoop(s, runtime);

  const protocolScope = new CancellationScope();
  const protocol = protocolScope.run(() => runProtocol(s));
  const ending = await Promise.race([
    protocol.then(() => 'done' as const),
    condition(() => s.cancelRequest !== undefined).then(() => 'cancel' as const),
    condition(() => shouldContinueAsNew(s)).then(() => 'continue' as const),
  ]);

  if (ending !== 'done') {
    protocolScope.cancel();
    await protocol.catch((err: unknown) => {
      if (!isCancellation(err)) throw err;
    });
  }
  if (ending === 'cancel' && s.cancelRequest) {
    const { actorId, actorRole, reason, requestId } = s.cancelRequest;
    closeCase(s, 'cancelled', reason, { userId: actorId, role: actorRole }, requestId === undefined ? undefined : { action: 'case.cancel', requestId });
  }

  // Let in-flight updates finish before the run ends: their callers are waiting for an answer.
  await condition(() => allHandlersFinished() && s.persisted.revision >= s.revision);
  runtime.stopping = true;
  await Promise.all([persistence, watchdog]);

  if (ending === 'continue' && !s.closure) {
    log.info('continuing as new', { revision: s.revision });
    await continueAsNew<typeof pisCaseWorkflow>(s.input, s);
  }
  return toView(s);
}

function shouldContinueAsNew(s: CaseState): boolean {
  const info = workflowInfo();
  return !s.closure && (info.continueAsNewSuggested || info.historyLength >= s.input.protocol.continueAsNewAfterEvents);
}

/** Microtask turns a lean write waits for the protocol's reaction to a change (persistLoop). */
const SETTLE_TURNS = 25;

async function persistLoop(s: CaseState, runtime: { stopping: boolean }): Promise<void> {
  // What this run last stored of each task and reminder (lean writes send the rest only); a new
  // run, after continue-as-new, starts with a full write.
  const stored = new StoredParts();
  let lastAttributes: string | undefined;
  for (;;) {
    await condition(() => s.revision > s.persisted.revision || runtime.stopping);
    // Lean writes: let the protocol react to the change first (a completed task opens the next
    // one in the same activation), so an update and its consequences are one write, not two in a
    // row. Deterministic: a fixed number of microtask turns, no timer, no command.
    if (s.leanHistory) for (let turn = 0; turn < SETTLE_TURNS; turn += 1) await Promise.resolve();
    if (s.revision <= s.persisted.revision) return;
    const revision = s.revision;
    const decisions = s.decisions.filter((d) => d.seq > s.persisted.decisionSeq);
    const submissions = [...s.pendingSubmissions];
    const notifications = [...s.pendingNotifications];
    const attributes: SearchAttributeUpdatePair[] = [
      { key: SA_STATUS, value: s.status },
      { key: SA_STEP, value: s.step },
      { key: SA_COMUNE, value: s.handover?.comuneCode ?? s.input.eventComuneCode },
      { key: SA_RISK, value: s.risk?.level ?? null },
      { key: SA_CATEGORIES, value: s.input.categories },
      { key: SA_OVERDUE_SINCE, value: s.overdueSince ? new Date(s.overdueSince) : null },
      { key: SA_OPEN_TASK_ROLES, value: openTaskRoles(s) },
      // Only cases with a recorded revision carry it: older histories keep their exact commands.
      ...(s.protocolRevision === undefined ? [] : [{ key: SA_PROTOCOL_REVISION, value: String(s.protocolRevision) }]),
    ];
    // Lean histories upsert the search attributes only when one of them changed.
    const attributesJson = JSON.stringify(attributes);
    if (!s.leanHistory || attributesJson !== lastAttributes) upsertSearchAttributes(attributes);
    lastAttributes = attributesJson;
    const snapshot = s.leanHistory ? stored.changedOnly(toSnapshot(s)) : toSnapshot(s);
    try {
      await persistCase({ snapshot, decisions, submissions, notifications });
    } catch (err) {
      const failure = permanentPersistenceFailure(err);
      if (!failure) throw err;
      // The database refuses this state: retrying would freeze the case silently. Say so where a
      // supervisor looks, accept no further change, and wait for a coordinator's retry.
      const since = nowIso();
      s.persistenceFailure = { since, revision, ...failure };
      log.warn('case write failed permanently', { revision, ...failure });
      await reportPersistenceFailure({ caseId: s.input.caseId, since, ...failure });
      await condition(() => s.persistenceFailure === undefined);
      continue;
    }
    // Personal data in forms leaves the workflow state once it is safely in PostgreSQL.
    s.pendingSubmissions = s.pendingSubmissions.filter((p) => !submissions.includes(p));
    s.pendingNotifications = s.pendingNotifications.filter((n) => !notifications.includes(n));
    s.persisted = { revision, decisionSeq: decisions[decisions.length - 1]?.seq ?? s.persisted.decisionSeq };
    stored.commit();
  }
}

/** Class and codes of a permanent write failure, or undefined for any other error. */
function permanentPersistenceFailure(err: unknown): PersistenceFailureInfo | undefined {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || err.cause.type !== PERSISTENCE_FAILED) return undefined;
  const details = err.cause.details?.[0] as Partial<PersistenceFailureInfo> | undefined;
  return { errorClass: String(details?.errorClass ?? 'unknown'), code: String(details?.code ?? '') };
}

// ------------------------------------------------------------------------------------ watchdog

function minutesAfter(iso: string, minutes: number | undefined): number | undefined {
  return minutes === undefined ? undefined : Date.parse(iso) + minutes * MINUTE;
}

function taskDeadlines(t: HumanTask): number[] {
  if (!isTaskActive(t)) return [];
  const out: number[] = [];
  const remind = minutesAfter(t.createdAt, t.escalation.remindAfterMinutes);
  const escalate = minutesAfter(t.createdAt, t.escalation.escalateAfterMinutes);
  if (remind !== undefined && !t.remindedAt) out.push(remind);
  if (escalate !== undefined && !t.escalatedAt && escalationApplies(t)) out.push(escalate);
  // Wake up when the task becomes overdue, to set `overdueSince`.
  if (t.dueAt && Date.parse(t.dueAt) > Date.now()) out.push(Date.parse(t.dueAt));
  return out;
}

function escalationApplies(t: HumanTask): boolean {
  if (t.escalation.trigger === 'unclaimed') return t.status === 'open';
  return t.escalation.trigger === 'not_completed';
}

function nextDeadline(s: CaseState): number | undefined {
  const times = s.tasks.flatMap(taskDeadlines);
  for (const r of s.reminders) if (!r.firedAt) times.push(Date.parse(r.dueAt));
  return times.length === 0 ? undefined : Math.min(...times);
}

function processDue(s: CaseState): void {
  const now = Date.now();
  for (const t of [...s.tasks]) {
    if (!isTaskActive(t)) continue;
    const remind = minutesAfter(t.createdAt, t.escalation.remindAfterMinutes);
    if (remind !== undefined && !t.remindedAt && now >= remind) {
      t.remindedAt = nowIso();
      notify(s, 'task_reminder', t.escalation.remindRole ?? t.candidateRole, { comuneCode: t.comuneCode, taskId: t.id });
      recordDecision(s, 'system', 'task_reminder', { taskId: t.id, type: t.type, to: t.escalation.remindRole ?? t.candidateRole });
    }
    const escalate = minutesAfter(t.createdAt, t.escalation.escalateAfterMinutes);
    if (escalate !== undefined && !t.escalatedAt && now >= escalate && escalationApplies(t)) {
      t.escalatedAt = nowIso();
      const reason = t.escalation.trigger === 'unclaimed' ? 'unclaimed' : 'overdue';
      ensureTask(s, `escalation#${t.id}`, 'escalation', {
        subjectTaskId: t.id,
        reason,
        dueMinutes: s.input.protocol.escalationTaskDueMinutes,
      });
      recordDecision(s, 'system', 'task_escalated', { taskId: t.id, type: t.type, reason });
    }
  }
  for (const r of s.reminders) fireReminder(s, r, now);
  const overdue = s.tasks
    .filter((t) => isTaskActive(t) && t.dueAt !== undefined && Date.parse(t.dueAt) <= now)
    .map((t) => t.dueAt as string)
    .sort();
  const overdueSince = overdue[0];
  if (overdueSince !== s.overdueSince) {
    s.overdueSince = overdueSince;
    recordDecision(s, 'system', overdueSince ? 'case_overdue' : 'case_back_on_time', { since: overdueSince ?? null });
  }
}

function fireReminder(s: CaseState, r: Reminder, now: number): void {
  if (r.firedAt || Date.parse(r.dueAt) > now) return;
  r.firedAt = nowIso();
  notify(s, `reminder_${r.kind}`, 'coordinator');
  recordDecision(s, 'system', 'reminder_due', { reminderId: r.id, kind: r.kind, dueAt: r.dueAt, handedTo: r.handedTo });
}

async function watchdogLoop(s: CaseState, runtime: { stopping: boolean }): Promise<void> {
  while (!runtime.stopping && !s.closure) {
    processDue(s);
    const revision = s.revision;
    const next = nextDeadline(s);
    const wake = () => s.revision !== revision || runtime.stopping || s.closure !== undefined;
    if (next === undefined) {
      await condition(wake);
    } else {
      const wait = next - Date.now();
      if (wait > 0) await condition(wake, wait);
    }
  }
}
