import type { HumanTask } from '../workflows/model';

const dateOrNull = (iso: string | undefined): Date | null => (iso === undefined ? null : new Date(iso));

/** The read model's columns of a workflow task (the `Task` table), without its escalation JSON. */
export function taskColumns(caseId: string, t: HumanTask) {
  return {
    caseId,
    type: t.type,
    candidateRole: t.candidateRole,
    comuneCode: t.comuneCode ?? null,
    assigneeId: t.assigneeId ?? null,
    status: t.status,
    createdAt: new Date(t.createdAt),
    claimedAt: dateOrNull(t.claimedAt),
    dueAt: dateOrNull(t.dueAt),
    completedAt: dateOrNull(t.completedAt),
    completedById: t.completedById ?? null,
    escalatedAt: dateOrNull(t.escalatedAt),
  };
}
