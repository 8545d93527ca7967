import type { PrismaClient } from '../generated/prisma/client';
import type { SupervisionSummary } from '../contract/supervision';
export type { SupervisionSummary } from '../contract/supervision';

const toCounts = (rows: Array<{ key: string | null; n: bigint | number }>): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', Number(r.n)]));

export async function supervisionSummary(prisma: PrismaClient, now = new Date()): Promise<SupervisionSummary> {
  const [byStatus, byStep, byComune, overdueCases, overdueByType, takeCharge, escalated] = await Promise.all([
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`SELECT status AS key, count(*) AS n FROM "Case" GROUP BY status`,
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`SELECT step AS key, count(*) AS n FROM "Case" WHERE status <> 'closed' GROUP BY step`,
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
      SELECT COALESCE("competentComuneCode", "eventComuneCode") AS key, count(*) AS n
      FROM "Case" WHERE status <> 'closed' GROUP BY 1`,
    prisma.case.count({ where: { status: { not: 'closed' }, overdueSince: { not: null } } }),
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
      SELECT type AS key, count(*) AS n FROM "Task"
      WHERE status IN ('open', 'claimed') AND "dueAt" <= ${now} GROUP BY type`,
    prisma.task.count({ where: { type: 'take_charge', status: 'open', dueAt: { lte: now } } }),
    prisma.task.count({ where: { status: { in: ['open', 'claimed'] }, escalatedAt: { not: null } } }),
  ]);
  return {
    generatedAt: now.toISOString(),
    byStatus: toCounts(byStatus),
    byStep: toCounts(byStep),
    byComune: toCounts(byComune),
    slaBreaches: {
      overdueCases,
      overdueTasksByType: toCounts(overdueByType),
      takeChargeUnclaimed: takeCharge,
      escalatedOpenTasks: escalated,
    },
  };
}
