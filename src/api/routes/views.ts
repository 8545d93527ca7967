import type { CaseState, Sent } from '../../contract/api';
import type { Role } from '../../domain';
import type { CaseView } from '../../workflows/definitions';
import { TASK_LABELS, type TaskType } from '../../workflows/steps/registry';

/** What the API answers after a workflow update: the new state without form data or free text of forms. */
export function caseStateOf(view: CaseView) {
  // Through a variable: the answer carries more than the console reads (revision, owner, handover…),
  // and `satisfies` on the literal would refuse those extra fields.
  const state = {
    caseId: view.input.caseId,
    reference: view.input.reference,
    revision: view.revision,
    status: view.status,
    step: view.step,
    activeSteps: view.activeSteps,
    riskLevel: view.risk?.level ?? null,
    ownerId: view.ownerId ?? null,
    overdueSince: view.overdueSince ?? null,
    handover: view.handover ?? null,
    closure: view.closure ?? null,
    tasks: view.tasks.map((t) => ({
      id: t.id,
      type: t.type,
      label: TASK_LABELS[t.type],
      status: t.status,
      candidateRole: t.candidateRole,
      comuneCode: t.comuneCode ?? null,
      assigneeId: t.assigneeId ?? null,
      createdAt: t.createdAt,
      dueAt: t.dueAt ?? null,
      completedAt: t.completedAt ?? null,
    })),
  };
  return state satisfies Sent<CaseState>;
}

export function taskLabel(type: string): string {
  return TASK_LABELS[type as TaskType] ?? type;
}

/**
 * What a task row gains on its way out, in the case file and in the task list alike: its label,
 * whether it is overdue, and its candidate role typed (the column is text, written from a Role by
 * persistCase).
 */
export function presentTaskRow(t: { type: string; status: string; dueAt: Date | null; candidateRole: string }, now: number) {
  return {
    label: taskLabel(t.type),
    candidateRole: t.candidateRole as Role,
    overdue: (t.status === 'open' || t.status === 'claimed') && t.dueAt !== null && t.dueAt.getTime() <= now,
  };
}
