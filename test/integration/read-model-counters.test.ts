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

  it('keeps NotificationCounter equal to a full COUNT after inserts, deliveries, deletions and rollbacks', async () => {
    const kept = async () =>
      Object.fromEntries((await h.prisma.notificationCounter.findMany()).filter((r) => r.n !== 0n).map((r) => [r.state, Number(r.n)]));
    const counted = async () =>
      Object.fromEntries(
        (
          await h.prisma.$queryRawUnsafe<Array<{ state: string; n: bigint }>>(
            `SELECT CASE WHEN "deliveredAt" IS NULL THEN 'pending' ELSE 'delivered' END AS state, count(*) AS n FROM "Notification" GROUP BY 1`,
          )
        ).map((r) => [r.state, Number(r.n)]),
      );
    const [c] = await synthetic(1);
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: `nc-${i}`, caseId: c!.id, kind: 'test', recipientRole: 'coordinator', deliveredAt: i % 3 === 0 ? new Date() : null }));
    await h.prisma.notification.createMany({ data: rows });
    await h.prisma.notification.updateMany({ where: { id: { in: ['nc-1', 'nc-2', 'nc-4'] } }, data: { deliveredAt: new Date() } });
    await h.prisma.notification.update({ where: { id: 'nc-0' }, data: { deliveredAt: null } });
    // An update that keeps the state (delivered → delivered later) and one of another column.
    await h.prisma.notification.update({ where: { id: 'nc-3' }, data: { deliveredAt: new Date(Date.now() + 1000) } });
    await h.prisma.notification.update({ where: { id: 'nc-5' }, data: { mailState: 'sent' } });
    await h.prisma.notification.deleteMany({ where: { id: { in: ['nc-6', 'nc-7', 'nc-9'] } } });
    await expect(
      h.prisma.$transaction(async (tx) => {
        await tx.notification.updateMany({ where: { id: { startsWith: 'nc-' } }, data: { deliveredAt: new Date() } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const expected = await counted();
    expect(expected.pending).toBeGreaterThan(0);
    expect(expected.delivered).toBeGreaterThan(0);
    expect(await kept()).toEqual(expected);
  });

  it("keeps Task.ambitoId equal to its case's Ambito, whatever the writer sends", async () => {
    await seedReadModel(h.prisma, 3000);
    const mismatched = () =>
      h.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
        `SELECT count(*) AS n FROM "Task" t JOIN "Case" c ON c.id = t."caseId" WHERE t."ambitoId" IS DISTINCT FROM c."ambitoId"`,
      );
    const taskCount = await h.prisma.task.count();
    expect(taskCount).toBeGreaterThan(3000);
    expect(Number((await mismatched())[0]!.n)).toBe(0);

    const [a, b] = await h.prisma.case.findMany({ where: { reference: { startsWith: 'SYN-' }, ambitoId: 'rhodense' }, select: { id: true }, take: 2 });
    const task = (id: string, caseId: string) => ({ id, caseId, type: 'take_charge', candidateRole: 'emergency_operator', status: 'open', createdAt: new Date(), escalation: {} });
    // A writer that sends a wrong Ambito, or none, on insert and on update (upsert included).
    await h.prisma.$executeRawUnsafe(
      `INSERT INTO "Task" (id, "caseId", type, "candidateRole", status, "createdAt", escalation, "ambitoId") VALUES ('amb-1', $1, 'take_charge', 'emergency_operator', 'open', now(), '{}', 'bollatese')`,
      a!.id,
    );
    await h.prisma.task.create({ data: task('amb-2', a!.id) });
    await h.prisma.task.upsert({ where: { id: 'amb-2' }, create: task('amb-2', a!.id), update: { status: 'claimed', assigneeId: 'u-op1' } });
    await h.prisma.$executeRawUnsafe(`UPDATE "Task" SET "ambitoId" = 'bollatese' WHERE id = 'amb-2'`);
    expect((await h.prisma.task.findMany({ where: { id: { in: ['amb-1', 'amb-2'] } }, select: { ambitoId: true } })).map((t) => t.ambitoId)).toEqual([
      'rhodense',
      'rhodense',
    ]);
    // A case moving to another Ambito carries its tasks along.
    await h.prisma.case.update({ where: { id: b!.id }, data: { ambitoId: 'bollatese', eventComuneCode: '015027' } });
    expect(await h.prisma.task.count({ where: { caseId: b!.id, ambitoId: { not: 'bollatese' } } })).toBe(0);
    expect(await h.prisma.task.count({ where: { caseId: b!.id } })).toBeGreaterThan(0);
    expect(Number((await mismatched())[0]!.n)).toBe(0);
    // The API's task list (Ambito scope from Task.ambitoId) sees the moved case's tasks only in its new Ambito.
    const listed = async (username: DemoUsername) =>
      ((await request(h.app).get(`/api/tasks?caseId=${b!.id}&scope=all&status=completed`).set(...bearer(h, username))).body as { items: Array<{ id: string; ambitoId?: unknown }> }).items;
    expect(await listed('coordinatore')).toEqual([]);
    const inBollate = await listed('coordinatore.bollate');
    expect(inBollate.length).toBeGreaterThan(0);
    // The column stays out of the answer.
    expect(inBollate.every((t) => !('ambitoId' in t))).toBe(true);
  });

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
