import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { SupervisionSummary } from '../contract/supervision';
export type { SupervisionSummary } from '../contract/supervision';

const toCounts = (rows: Array<{ key: string | null; n: bigint | number }>): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', Number(r.n)]));

/** Counts over every case (admin), or over the cases of `ambitoIds` (a coordinator's Ambiti). */
export async function supervisionSummary(prisma: PrismaClient, now = new Date(), ambitoIds?: readonly string[]): Promise<SupervisionSummary> {
  const ids = ambitoIds === undefined ? undefined : [...ambitoIds];
  const caseIn = ids === undefined ? Prisma.sql`TRUE` : Prisma.sql`"ambitoId" = ANY(${ids}::text[])`;
  const taskIn = ids === undefined ? Prisma.sql`TRUE` : Prisma.sql`"caseId" IN (SELECT id FROM "Case" WHERE "ambitoId" = ANY(${ids}::text[]))`;
  const caseWhere: Prisma.CaseWhereInput = ids === undefined ? {} : { ambitoId: { in: ids } };
  const taskWhere: Prisma.TaskWhereInput = ids === undefined ? {} : { case: caseWhere };
  const [byStatus, byStep, byComune, overdueCases, overdueByType, takeCharge, escalated] = await Promise.all([
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`SELECT status AS key, count(*) AS n FROM "Case" WHERE ${caseIn} GROUP BY status`,
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`SELECT step AS key, count(*) AS n FROM "Case" WHERE status <> 'closed' AND ${caseIn} GROUP BY step`,
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
      SELECT COALESCE("competentComuneCode", "eventComuneCode") AS key, count(*) AS n
      FROM "Case" WHERE status <> 'closed' AND ${caseIn} GROUP BY 1`,
    prisma.case.count({ where: { ...caseWhere, status: { not: 'closed' }, overdueSince: { not: null } } }),
    prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
      SELECT type AS key, count(*) AS n FROM "Task"
      WHERE status IN ('open', 'claimed') AND "dueAt" <= ${now} AND ${taskIn} GROUP BY type`,
    prisma.task.count({ where: { ...taskWhere, type: 'take_charge', status: 'open', dueAt: { lte: now } } }),
    prisma.task.count({ where: { ...taskWhere, status: { in: ['open', 'claimed'] }, escalatedAt: { not: null } } }),
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
