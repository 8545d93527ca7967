import type { CaseState, Sent } from '../../contract/api';
import type { CaseView } from '../../workflows/definitions';
import { TASK_LABELS, type TaskType } from '../../workflows/steps/registry';

/** What the API answers after a workflow update: the new state without form data or free text of forms. */
export function caseStateOf(view: CaseView) {
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
