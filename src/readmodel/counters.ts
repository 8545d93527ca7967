import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Actor } from '../domain';

/**
 * Case counts from `CaseCounter` (kept by triggers on "Case", see prisma/schema.prisma): summing
 * a few thousand bucket rows instead of counting up to millions of cases. Every case is in the
 * buckets of category '*' exactly once, so counts without a category filter read only those.
 */
export interface CaseCountFilter {
  statuses?: readonly string[];
  step?: string;
  risk?: string;
  category?: string;
  overdue?: boolean;
  /** Competent Comune, or the event's while none is decided (the case list's `comune`). */
  comune?: string;
}

/**
 * The buckets an actor may count: the same rule as `caseScope` in src/api/authorization.ts (admin:
 * all; a social worker: cases of their Comune, competent or, before one is decided, of the event;
 * everyone else: the cases of their Ambiti).
 * test/integration/read-model-counters.test.ts checks both rules give the same totals.
 */
export function counterScope(actor: Actor): Prisma.CaseCounterWhereInput {
  if (actor.role === 'admin') return {};
  if (actor.role === 'social_worker') return { comuneCode: actor.comuneCode ?? '-' };
  return { ambitoId: { in: [...actor.ambitoIds] } };
}

export function counterWhere(scope: Prisma.CaseCounterWhereInput, f: CaseCountFilter): Prisma.CaseCounterWhereInput {
  return {
    AND: [
      scope,
      { category: f.category ?? '*' },
      ...(f.statuses !== undefined ? [{ status: { in: [...f.statuses] } }] : []),
      ...(f.step !== undefined ? [{ step: f.step }] : []),
      ...(f.risk !== undefined ? [{ riskLevel: f.risk }] : []),
      ...(f.overdue !== undefined ? [{ overdue: f.overdue }] : []),
      ...(f.comune !== undefined ? [{ comuneCode: f.comune }] : []),
    ],
  };
}

/** How many cases match, exactly, from the counters. */
export async function countCases(prisma: PrismaClient, scope: Prisma.CaseCounterWhereInput, f: CaseCountFilter): Promise<number> {
  const { _sum } = await prisma.caseCounter.aggregate({ _sum: { n: true }, where: counterWhere(scope, f) });
  return Number(_sum.n ?? 0);
}

type GroupKey = 'status' | 'step' | 'comuneCode' | 'ambitoId';

/** Case counts grouped by one or two keys (zero buckets left out). */
export async function countCasesBy<K extends GroupKey>(
  prisma: PrismaClient,
  by: K[],
  scope: Prisma.CaseCounterWhereInput,
  f: CaseCountFilter = {},
): Promise<Array<Record<K, string> & { n: number }>> {
  // Through a plain row type: Prisma's groupBy typing does not follow a generic `by`.
  const rows = (await prisma.caseCounter.groupBy({ by: [...by], where: counterWhere(scope, f), _sum: { n: true } })) as unknown as Array<
    Record<string, string> & { _sum: { n: bigint | null } }
  >;
  return rows
    .map((r) => ({ ...(Object.fromEntries(by.map((k) => [k, r[k]])) as Record<K, string>), n: Number(r._sum.n ?? 0) }))
    .filter((r) => r.n !== 0);
}
