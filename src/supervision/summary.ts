import type { PrismaClient } from '../generated/prisma/client';
import type { SupervisionSummary } from '../contract/supervision';
import { countCases, countCasesBy } from '../readmodel/counters';
import { CASE_STATUSES } from '../domain';
export type { SupervisionSummary } from '../contract/supervision';

const toCounts = (rows: Array<{ key: string | null; n: bigint | number }>): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', Number(r.n)]));
const RUNNING = CASE_STATUSES.filter((s) => s !== 'closed');

/**
 * Case figures come from the counters kept with every write (`CaseCounter`), never from counting
 * the case table; task figures from the running tasks only (partial indexes on open/claimed).
 */
export async function supervisionSummary(prisma: PrismaClient, now = new Date()): Promise<SupervisionSummary> {
  const [byStatus, byStep, byComune, overdueCases, overdueByType, takeCharge, escalated] = await Promise.all([
    countCasesBy(prisma, ['status'], {}),
    countCasesBy(prisma, ['step'], {}, { statuses: RUNNING }),
    countCasesBy(prisma, ['comuneCode'], {}, { statuses: RUNNING }),
    countCases(prisma, {}, { statuses: RUNNING, overdue: true }),
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
      SELECT type AS key, count(*) AS n FROM "Task"
      WHERE status IN ('open', 'claimed') AND "dueAt" <= ${now} GROUP BY type`,
    prisma.task.count({ where: { type: 'take_charge', status: 'open', dueAt: { lte: now } } }),
    prisma.task.count({ where: { status: { in: ['open', 'claimed'] }, escalatedAt: { not: null } } }),
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
