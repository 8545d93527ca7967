import request from 'supertest';
import { caseListQuery } from '../../src/api/routes/schemas';
import { listWhere } from '../../src/api/routes/cases';
import type { Actor } from '../../src/domain';
import { seedReadModel } from '../../bench/read-model-seed';
import { type ApiHarness, activeTask, bearer, createCase, type DemoUsername, startApiHarness } from './api-harness';

/**
 * `CaseCounter` (kept by triggers on "Case") against a full COUNT of the case table, after a mix
 * of bulk inserts, single and multi-row updates, closures, deletions, concurrent transactions and
 * cases driven through the API by the real workflow; and the case list's totals, which come from
 * the counters, against a COUNT with the list's own filter for every kind of actor.
 */
let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('read-model-counters');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

interface Bucket {
  key: string;
  n: number;
}

/** Every (ambito, comune, status, step, risk, overdue, category) bucket: counted from the cases, and from the counters. */
async function buckets(): Promise<{ counted: Bucket[]; kept: Bucket[] }> {
  const counted = await h.prisma.$queryRawUnsafe<Array<{ key: string; n: bigint }>>(`
    SELECT concat_ws('|', "ambitoId", COALESCE("competentComuneCode", "eventComuneCode"), status, step, COALESCE("riskLevel", ''),
      "overdueSince" IS NOT NULL, k) AS key, count(*) AS n
    FROM "Case" c CROSS JOIN LATERAL (SELECT DISTINCT k FROM unnest(ARRAY['*'] || c.categories) AS k) cats
    GROUP BY 1 ORDER BY 1`);
  const kept = await h.prisma.$queryRawUnsafe<Array<{ key: string; n: bigint }>>(`
    SELECT concat_ws('|', "ambitoId", "comuneCode", status, step, "riskLevel", overdue, category) AS key, n
    FROM "CaseCounter" WHERE n <> 0 ORDER BY 1`);
  const plain = (rows: Array<{ key: string; n: bigint }>) => rows.map((r) => ({ key: r.key, n: Number(r.n) }));
  return { counted: plain(counted), kept: plain(kept) };
}

async function expectCountersEqualFullCount(): Promise<void> {
  const { counted, kept } = await buckets();
  expect(counted.length).toBeGreaterThan(0);
  expect(kept).toEqual(counted);
}

const synthetic = (n: number) => h.prisma.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "Case" WHERE reference LIKE 'SYN-%' ORDER BY id LIMIT ${n}`);

describe('CaseCounter', () => {
  it('equals a full COUNT after inserts, updates, closures, deletions and concurrent writers', async () => {
    await seedReadModel(h.prisma, 3000);
    await expectCountersEqualFullCount();

    // Single-row updates of every counted column.
    const [a, b, c, d] = await synthetic(4);
    await h.prisma.case.update({ where: { id: a!.id }, data: { status: 'closed', step: 'closure', closedAt: new Date() } });
    await h.prisma.case.update({ where: { id: b!.id }, data: { categories: ['msna', 'msna', 'homeless'], riskLevel: null } });
    await h.prisma.case.update({ where: { id: c!.id }, data: { competentComuneCode: '015116', overdueSince: new Date() } });
    await h.prisma.case.update({ where: { id: d!.id }, data: { ambitoId: 'bollatese', eventComuneCode: '015027', competentComuneCode: null } });
    // An update that moves no case between buckets, then a multi-row closure in one statement.
    await h.prisma.case.updateMany({ where: { reference: { startsWith: 'SYN-' } }, data: { lastProgressAt: new Date() } });
    await h.prisma.$executeRawUnsafe(`UPDATE "Case" SET status = 'closed', step = 'closure', "overdueSince" = NULL WHERE status = 'open' AND "riskLevel" = 'high'`);
    await expectCountersEqualFullCount();

    // Concurrent transactions moving cases between the same buckets in opposite directions.
    const running = await h.prisma.case.findMany({ where: { status: { not: 'closed' } }, select: { id: true, riskLevel: true }, take: 40 });
    await Promise.all(
      running.map((r, i) =>
        h.prisma.$transaction(async (tx) => {
          await tx.case.update({ where: { id: r.id }, data: { riskLevel: i % 2 === 0 ? 'critical' : 'low' } });
          await tx.case.update({ where: { id: r.id }, data: { step: i % 2 === 0 ? 'intervention' : 'risk_check' } });
        }),
      ),
    );
    // Deletions (cases without tasks), inside a transaction that rolls back too.
    const doomed = await h.prisma.case.findMany({ where: { tasks: { none: {} } }, select: { id: true }, take: 5 });
    await h.prisma.case.deleteMany({ where: { id: { in: doomed.map((x) => x.id) } } });
    await expect(
      h.prisma.$transaction(async (tx) => {
        await tx.case.updateMany({ where: { status: 'closed' }, data: { status: 'open' } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await expectCountersEqualFullCount();

    // Cases written by intake and by the workflow's persistence activity.
    const first = await createCase(h);
    const second = await createCase(h);
    await activeTask(h, first, 'take_charge');
    const task = await activeTask(h, second, 'take_charge');
    expect((await request(h.app).post(`/api/tasks/${task.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
    expect((await request(h.app).post(`/api/tasks/${task.id}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 20 } })).status).toBe(200);
    await activeTask(h, second, 'risk_check');
    await expectCountersEqualFullCount();
  }, 120_000);

  const actors: Array<[DemoUsername, Actor]> = [
    ['admin', { userId: 'u-admin', role: 'admin', ambitoIds: [] }],
    ['coordinatore', { userId: 'u-coord', role: 'coordinator', ambitoIds: ['rhodense'] }],
    ['coordinatore.bollate', { userId: 'u-coord-bollate', role: 'coordinator', ambitoIds: ['bollatese'] }],
    ['as.rho', { userId: 'u-as-rho', role: 'social_worker', comuneCode: '015182', ambitoIds: [] }],
    ['as.lainate', { userId: 'u-as-lainate', role: 'social_worker', comuneCode: '015116', ambitoIds: [] }],
  ];
  const queries = [
    '',
    'status=active',
    'status=closed',
    'status=open&risk=critical',
    'category=msna',
    'category=homeless&status=active',
    'comune=015182',
    'comune=015116&overdue=true',
    'overdue=false&step=handover',
    'status=awaiting_handover&comune=015027',
  ];
  it.each(actors)('gives %s exact list totals, equal to a COUNT with the list filter', async (username, actor) => {
    await seedReadModel(h.prisma, 3000);
    for (const qs of queries) {
      const res = await request(h.app).get(`/api/cases?${qs}&limit=1`).set(...bearer(h, username));
      expect(res.status).toBe(200);
      const expected = await h.prisma.case.count({ where: listWhere(actor, caseListQuery.parse(Object.fromEntries(new URLSearchParams(qs)))) });
      expect({ qs, total: (res.body as { total: number }).total, totalCapped: (res.body as { totalCapped: boolean }).totalCapped }).toEqual({
        qs,
        total: expected,
        totalCapped: false,
      });
    }
  });
});
