import type { Prisma } from '../generated/prisma/client';

/**
 * Change events: one row per change of the read model that the console shows (a task, a case,
 * who is on duty), ids and codes only, written in the transaction of the change.
 *
 * Ids follow commit order: the transaction takes `CHANGE_EVENT_LOCK` (transaction-scoped advisory
 * lock) right before inserting, at its end, so a transaction that got a lower id has committed
 * before one with a higher id can insert. A reader that saw id N has therefore seen every event
 * below N, and `Last-Event-ID` replay never skips one. `NOTIFY pis_changes` is delivered at commit.
 */
export const CHANGE_CHANNEL = 'pis_changes';
const CHANGE_EVENT_LOCK = 7_301_202;

export type ChangeEventRow = Prisma.ChangeEventCreateManyInput;

export interface TaskState {
  id: string;
  type: string;
  status: string;
  candidateRole: string;
  comuneCode: string | null;
  assigneeId: string | null;
  dueAt: Date | null;
  escalatedAt: Date | null;
}

export interface CaseCodes {
  caseId: string;
  ambitoId: string;
  eventComuneCode: string;
  competentComuneCode: string | null;
}

const sameInstant = (a: Date | null, b: Date | null): boolean => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** The task events of one write: tasks that are new or whose status, assignee or timings changed. */
export function taskChanges(c: CaseCodes, before: readonly TaskState[], after: readonly TaskState[]): ChangeEventRow[] {
  const old = new Map(before.map((t) => [t.id, t]));
  const rows: ChangeEventRow[] = [];
  for (const t of after) {
    const prev = old.get(t.id);
    const changed =
      prev === undefined ||
      prev.status !== t.status ||
      prev.assigneeId !== t.assigneeId ||
      !sameInstant(prev.dueAt, t.dueAt) ||
      !sameInstant(prev.escalatedAt, t.escalatedAt);
    if (!changed) continue;
    rows.push({
      kind: 'task',
      ...caseColumns(c),
      taskId: t.id,
      taskType: t.type,
      taskStatus: t.status,
      candidateRole: t.candidateRole,
      taskComuneCode: t.comuneCode,
      assigneeId: t.assigneeId,
      available: t.status === 'open' && (prev === undefined || prev.status !== 'open'),
    });
  }
  return rows;
}

export function caseChange(c: CaseCodes): ChangeEventRow {
  return { kind: 'case', ...caseColumns(c) };
}

function caseColumns(c: CaseCodes) {
  return { caseId: c.caseId, ambitoId: c.ambitoId, eventComuneCode: c.eventComuneCode, competentComuneCode: c.competentComuneCode };
}

/** Inserts the events (in commit order, see above) and notifies the API processes at commit. */
export async function recordChangeEvents(tx: Prisma.TransactionClient, rows: readonly ChangeEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANGE_EVENT_LOCK})`;
  await tx.changeEvent.createMany({ data: [...rows] });
  await tx.$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, '')`;
}
