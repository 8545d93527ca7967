import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { SupervisionSummary } from '../contract/supervision';
import { countCases, countCasesBy } from '../readmodel/counters';
import { CASE_STATUSES } from '../domain';
export type { SupervisionSummary } from '../contract/supervision';

const toCounts = (rows: Array<{ key: string | null; n: bigint | number }>): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', Number(r.n)]));
const RUNNING = CASE_STATUSES.filter((s) => s !== 'closed');

/**
 * Counts over every case (admin), or over the cases of `ambitoIds` (a coordinator's Ambiti). Case
 * figures come from the counters kept with every write (`CaseCounter`), never from counting the
 * case table; task figures from the running tasks only (partial index on open/claimed).
 */
export async function supervisionSummary(prisma: PrismaClient, now = new Date(), ambitoIds?: readonly string[]): Promise<SupervisionSummary> {
  const ids = ambitoIds === undefined ? undefined : [...ambitoIds];
  // Tasks carry their case's Ambito (trigger-kept `Task.ambitoId`): no join over the cases.
  const taskIn = ids === undefined ? Prisma.sql`TRUE` : Prisma.sql`"ambitoId" = ANY(${ids}::text[])`;
  const taskWhere: Prisma.TaskWhereInput = ids === undefined ? {} : { ambitoId: { in: ids } };
  const counters: Prisma.CaseCounterWhereInput = ids === undefined ? {} : { ambitoId: { in: ids } };
  const [byStatus, byStep, byComune, overdueCases, overdueByType, takeCharge, escalated] = await Promise.all([
    countCasesBy(prisma, ['status'], counters),
    countCasesBy(prisma, ['step'], counters, { statuses: RUNNING }),
    countCasesBy(prisma, ['comuneCode'], counters, { statuses: RUNNING }),
    countCases(prisma, counters, { statuses: RUNNING, overdue: true }),
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
      SELECT type AS key, count(*) AS n FROM "Task"
      WHERE status IN ('open', 'claimed') AND "dueAt" <= ${now} AND ${taskIn} GROUP BY type`,
    prisma.task.count({ where: { ...taskWhere, type: 'take_charge', status: 'open', dueAt: { lte: now } } }),
    prisma.task.count({ where: { ...taskWhere, status: { in: ['open', 'claimed'] }, escalatedAt: { not: null } } }),
  ]);
  return {
    generatedAt: now.toISOString(),
    byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
    byStep: Object.fromEntries(byStep.map((r) => [r.step, r.n])),
    byComune: Object.fromEntries(byComune.map((r) => [r.comuneCode, r.n])),
    slaBreaches: {
      overdueCases,
      overdueTasksByType: toCounts(overdueByType),
      takeChargeUnclaimed: takeCharge,
      escalatedOpenTasks: escalated,
    },
  };
}
