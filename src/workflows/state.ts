import type { Actor, CaseWorkflowInput, Role, Step } from './definitions';
import { TASK_CANDIDATE_ROLE, type TaskType, type TimelineKind } from './steps/registry';
import type { CaseState, CaseView, Decision, EscalationRule, HumanTask } from './model';

/** Pure helpers over the plain-JSON case state. Workflow time comes from the sandbox's Date. */

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export function nowIso(): string {
  return new Date().toISOString();
}

export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * MINUTE).toISOString();
}

export function newCaseState(input: CaseWorkflowInput): CaseState {
  const at = nowIso();
  return {
    input,
    revision: 1,
    status: 'intake',
    step: 'intake',
    activeSteps: ['intake'],
    stepHistory: [{ step: 'intake', startedAt: at }],
    tasks: [],
    taskSeq: 0,
    reminders: [],
    decisions: [],
    pendingSubmissions: [],
    pendingNotifications: [],
    persisted: { revision: 0, decisionSeq: 0 },
    done: {},
    welfareRechecks: 0,
    lastProgressAt: at,
  };
}

/**
 * Counts a change of the state (`revision`, the change counter the persistence loop and the
 * updates' answers wait on; not the protocol revision, `protocolRevision`).
 */
export function markChanged(s: CaseState): void {
  s.revision += 1;
}

/** Records a decision on the case's timeline (written to the read model with its audit row, if any). */
export function recordDecision(
  s: CaseState,
  actor: Actor | 'system',
  kind: TimelineKind,
  data: Record<string, unknown> = {},
  audit?: Decision['audit'],
): void {
  const at = nowIso();
  const seq = (s.decisions[s.decisions.length - 1]?.seq ?? 0) + 1;
  s.decisions.push({
    seq,
    at,
    actorId: actor === 'system' ? 'system' : actor.userId,
    actorRole: actor === 'system' ? 'system' : actor.role,
    kind,
    data,
    ...(audit !== undefined && { audit }),
  });
  s.lastProgressAt = at;
  markChanged(s);
}

export function enterStep(s: CaseState, step: Step): void {
  if (!s.activeSteps.includes(step)) {
    s.activeSteps.push(step);
    s.stepHistory.push({ step, startedAt: nowIso() });
  }
  s.step = step;
  markChanged(s);
}

export function leaveStep(s: CaseState, step: Step): void {
  s.activeSteps = s.activeSteps.filter((x) => x !== step);
  const open = [...s.stepHistory].reverse().find((h) => h.step === step && h.endedAt === undefined);
  if (open) open.endedAt = nowIso();
  const current = s.activeSteps[s.activeSteps.length - 1];
  if (current) s.step = current;
  markChanged(s);
}

export function findTask(s: CaseState, taskId: string): HumanTask | undefined {
  return s.tasks.find((t) => t.id === taskId);
}

export function isTaskActive(t: HumanTask): boolean {
  return t.status === 'open' || t.status === 'claimed';
}

export interface NewTaskOptions {
  assigneeId?: string;
  comuneCode?: string;
  dueMinutes?: number;
  escalation?: EscalationRule;
  subjectTaskId?: string;
  reason?: string;
  candidateRole?: Role;
}

/** Creates the task with this key once; later calls (also after continue-as-new) return it. */
export function ensureTask(s: CaseState, key: string, type: TaskType, options: NewTaskOptions = {}): HumanTask {
  const existing = s.tasks.find((t) => t.key === key);
  if (existing) return existing;
  s.taskSeq += 1;
  const createdAt = nowIso();
  const task: HumanTask = {
    id: `${s.input.caseId}-t${s.taskSeq}`,
    key,
    type,
    candidateRole: options.candidateRole ?? TASK_CANDIDATE_ROLE[type],
    comuneCode: options.comuneCode,
    assigneeId: options.assigneeId,
    status: options.assigneeId ? 'claimed' : 'open',
    createdAt,
    claimedAt: options.assigneeId ? createdAt : undefined,
    dueAt: options.dueMinutes === undefined ? undefined : addMinutes(createdAt, options.dueMinutes),
    escalation: options.escalation ?? { trigger: 'none' },
    subjectTaskId: options.subjectTaskId,
    reason: options.reason,
    history: [],
  };
  s.tasks.push(task);
  recordDecision(s, 'system', 'task_created', {
    taskId: task.id,
    type,
    candidateRole: task.candidateRole,
    assigneeId: task.assigneeId ?? null,
    dueAt: task.dueAt ?? null,
  });
  notify(s, 'task_created', task.candidateRole, { comuneCode: task.comuneCode, taskId: task.id });
  return task;
}

export function notify(
  s: CaseState,
  kind: string,
  recipientRole: Role,
  extra: { comuneCode?: string; taskId?: string } = {},
): void {
  s.pendingNotifications.push({
    id: `${s.input.caseId}-n${s.revision}-${s.pendingNotifications.length}-${kind}`,
    kind,
    recipientRole,
    ...extra,
  });
  markChanged(s);
}

export function openTaskRoles(s: CaseState): Role[] {
  const roles = s.tasks.filter(isTaskActive).map((t) => t.candidateRole);
  return roles.filter((r, i) => roles.indexOf(r) === i).sort();
}

export function toView(s: CaseState): CaseView {
  const { pendingSubmissions: _p, pendingNotifications: _n, persisted: _r, done: _d, answersWhenStored: _a, leanHistory: _l, ...view } = s;
  return JSON.parse(JSON.stringify(view)) as CaseView;
}

