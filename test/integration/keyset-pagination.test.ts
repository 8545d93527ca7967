import request from 'supertest';
import { type ApiHarness, bearer, type DemoUsername, startApiHarness } from './api-harness';

/**
 * Keyset pagination of the case and task lists: following `nextCursor` walks every matching row
 * exactly once, in the list's order (sort key, then id), across ties on the sort key and nulls,
 * with filters and scopes; a cursor is bound to its query.
 */
let h: ApiHarness;

interface Row {
  id: string;
  [key: string]: unknown;
}

beforeAll(async () => {
  h = await startApiHarness('keyset');
  // 90 cases on 6 distinct report times (many ties), some overdue, some in handover, both Ambiti.
  await h.prisma.$executeRawUnsafe(`
    INSERT INTO "Case" (id, reference, "workflowId", "reportingForce", "reportNumber", "ambitoId", "eventComuneCode",
      "competentComuneCode", categories, status, step, "riskLevel", flags, "openTaskRoles", "reportedAt", "createdAt",
      "lastProgressAt", "overdueSince", "handoverAt", "createdById", "updatedAt")
    SELECT id, 'KS-' || g, 'ks-' || id, 'carabinieri', 'KS-' || g, CASE WHEN g % 5 = 0 THEN 'bollatese' ELSE 'rhodense' END,
      (ARRAY['015182','015116','015027'])[1 + g % 3], CASE WHEN g % 4 = 0 THEN '015182' END,
      ARRAY[(ARRAY['homeless','msna'])[1 + g % 2]], (ARRAY['open','closed','awaiting_handover'])[1 + g % 3],
      (ARRAY['intervention','closure','handover'])[1 + g % 3], (ARRAY['low','critical'])[1 + g % 2], ARRAY[]::text[], ARRAY[]::text[],
      timestamp '2026-11-01 10:00' + (g % 6) * interval '1 hour', timestamp '2026-11-01 10:00' + (g % 4) * interval '1 minute',
      timestamp '2026-11-02 10:00', CASE WHEN g % 7 < 3 THEN timestamp '2026-11-02 08:00' + (g % 2) * interval '1 hour' END,
      CASE WHEN g % 3 = 2 THEN timestamp '2026-11-03 09:00' + (g % 2) * interval '1 hour' END, 'u-intake', now()
    FROM (SELECT gen_random_uuid()::text AS id, g FROM generate_series(1, 90) AS g) s`);
  // Two tasks per open case: due times with ties and none, creation times with ties.
  await h.prisma.$executeRawUnsafe(`
    INSERT INTO "Task" (id, "caseId", type, "candidateRole", "assigneeId", status, "createdAt", "dueAt", escalation)
    SELECT c.id || '-t' || n, c.id, 'intervention', 'emergency_operator', CASE WHEN n = 2 THEN 'u-op1' END,
      CASE WHEN n = 2 THEN 'claimed' ELSE 'open' END, timestamp '2026-11-01 10:00' + (n % 2) * interval '1 minute',
      CASE WHEN abs(hashtext(c.id || n)) % 4 = 0 THEN NULL ELSE timestamp '2026-11-02 10:00' + (abs(hashtext(c.id || n)) % 3) * interval '1 hour' END,
      '{"trigger":"none"}'::jsonb
    FROM "Case" c CROSS JOIN generate_series(1, 2) AS n WHERE c.reference LIKE 'KS-%' AND c.status = 'open'`);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** Every page of a list, following nextCursor; returns the rows in the order received. */
async function walk(user: DemoUsername, path: string): Promise<{ rows: Row[]; pages: number; totals: number[] }> {
  const rows: Row[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `${path}${path.includes('?') ? '&' : '?'}limit=7${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const res = await request(h.app).get(url).set(...bearer(h, user));
    expect(res.status).toBe(200);
    const body = res.body as { items: Row[]; nextCursor: string | null; total: number };
    rows.push(...body.items);
    totals.push(body.total);
    cursor = body.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(100);
  } while (cursor !== null);
  return { rows, pages, totals };
}

const cmp = (a: unknown, b: unknown): number => {
  // Nulls last in either direction (the lists' rule), handled by the caller.
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The expected order: the sort key (nulls last), then id in the same direction. */
function expectedOrder<T extends Row>(rows: T[], keys: Array<{ field: string; order: 'asc' | 'desc' }>): string[] {
  return [...rows]
    .sort((a, b) => {
      for (const k of keys) {
        const av = a[k.field] ?? null;
        const bv = b[k.field] ?? null;
        if (av === null && bv === null) continue;
        if (av === null) return 1;
        if (bv === null) return -1;
        const c = cmp(av instanceof Date ? av.toISOString() : av, bv instanceof Date ? bv.toISOString() : bv);
        if (c !== 0) return k.order === 'asc' ? c : -c;
      }
      return 0;
    })
    .map((r) => r.id);
}

describe('GET /api/cases with cursor', () => {
  const walks: Array<[DemoUsername, string, Record<string, unknown>]> = [
    ['coordinatore', 'sort=reportedAt&order=desc', { ambitoId: 'rhodense' }],
    ['coordinatore', 'sort=reportedAt&order=asc&status=active', { ambitoId: 'rhodense', status: { not: 'closed' } }],
    ['coordinatore', 'sort=createdAt&order=desc&category=msna', { ambitoId: 'rhodense', categories: { has: 'msna' } }],
    ['coordinatore', 'sort=overdueSince&order=desc', { ambitoId: 'rhodense' }],
    ['coordinatore', 'sort=handoverAt&order=asc&risk=critical', { ambitoId: 'rhodense', riskLevel: 'critical' }],
    ['as.rho', 'sort=createdAt&order=desc', { OR: [{ competentComuneCode: '015182' }, { competentComuneCode: null, eventComuneCode: '015182' }] }],
  ];
  it.each(walks)('%s: %s walks every matching case once, in order', async (user, qs, where) => {
    const sort = new URLSearchParams(qs).get('sort') as string;
    const order = new URLSearchParams(qs).get('order') as 'asc' | 'desc';
    const all = await h.prisma.case.findMany({ where: { AND: [{ reference: { startsWith: 'KS-' } }, where] }, select: { id: true, [sort]: true } });
    expect(all.length).toBeGreaterThan(7);
    const { rows, pages, totals } = await walk(user, `/api/cases?${qs}`);
    expect(rows.map((r) => r.id)).toEqual(expectedOrder(all as unknown as Row[], [{ field: sort, order }, { field: 'id', order }]));
    expect(pages).toBe(Math.ceil(all.length / 7));
    expect(new Set(totals)).toEqual(new Set([all.length]));
  });

  it('refuses a cursor from another query, a malformed one, and a cursor with an offset', async () => {
    const first = await request(h.app).get('/api/cases?status=open&limit=3').set(...bearer(h, 'coordinatore'));
    const cursor = (first.body as { nextCursor: string }).nextCursor;
    expect(typeof cursor).toBe('string');
    for (const [qs, field] of [
      [`status=closed&limit=3&cursor=${cursor}`, 'cursor'],
      ['status=open&limit=3&cursor=bm9wZQ', 'cursor'],
      [`status=open&limit=3&offset=3&cursor=${cursor}`, 'offset'],
    ] as const) {
      const res = await request(h.app).get(`/api/cases?${qs}`).set(...bearer(h, 'coordinatore'));
      expect(res.status).toBe(400);
      expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual([field]);
    }
    // The same query continues where the first page stopped; offset paging still answers.
    const next = await request(h.app).get(`/api/cases?status=open&limit=3&cursor=${cursor}`).set(...bearer(h, 'coordinatore'));
    const byOffset = await request(h.app).get('/api/cases?status=open&limit=3&offset=3').set(...bearer(h, 'coordinatore'));
    expect(next.status).toBe(200);
    expect((next.body as { items: Row[] }).items.map((r) => r.id)).toEqual((byOffset.body as { items: Row[] }).items.map((r) => r.id));
  });
});

describe('GET /api/tasks with cursor', () => {
  const keys = [
    { field: 'dueAt', order: 'asc' as const },
    { field: 'createdAt', order: 'asc' as const },
    { field: 'id', order: 'asc' as const },
  ];
  const walks: Array<[DemoUsername, string, Record<string, unknown>]> = [
    ['coordinatore', 'scope=all', { case: { ambitoId: 'rhodense' }, status: { in: ['open', 'claimed'] } }],
    ['operatore1', 'scope=mine', { case: { ambitoId: 'rhodense' }, assigneeId: 'u-op1', status: { in: ['open', 'claimed'] } }],
    ['operatore2', 'scope=available', { case: { ambitoId: 'rhodense' }, status: 'open', candidateRole: 'emergency_operator' }],
  ];
  it.each(walks)('%s: %s walks every matching task once, in order (ties on due and creation time, no due time last)', async (user, qs, where) => {
    const all = await h.prisma.task.findMany({ where: { AND: [{ id: { contains: '-t' } }, where] }, select: { id: true, dueAt: true, createdAt: true } });
    expect(all.length).toBeGreaterThan(7);
    expect(all.some((t) => t.dueAt === null)).toBe(true);
    const { rows, totals } = await walk(user, `/api/tasks?${qs}`);
    expect(rows.map((r) => r.id)).toEqual(expectedOrder(all as unknown as Row[], keys));
    expect(new Set(totals)).toEqual(new Set([all.length]));
  });
});
