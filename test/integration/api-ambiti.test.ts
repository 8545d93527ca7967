import request from 'supertest';
import type { TokenService } from '../../src/api/auth';
import { activeTask, type ApiHarness, bearer, createCase, type DemoUsername, startApiHarness, sundayReport } from './api-harness';

/**
 * Several Ambiti in one installation: a case belongs to the Ambito of its event Comune, and the
 * users of one Ambito neither list nor open nor act on the cases of another (404, as if they did
 * not exist; audited). Admin sees the list of both.
 */

let h: ApiHarness;
let rhoCase: string;
let bollateCase: string;

const bollateReport = () => sundayReport({ eventComuneCode: '015027', residenceComuneCode: '015027', eventAddress: 'Piazza della Resistenza 1, Bollate' });

beforeAll(async () => {
  h = await startApiHarness('ambiti');
  rhoCase = await createCase(h);
  bollateCase = await createCase(h, bollateReport(), h.app, 'coordinatore.bollate');
  await activeTask(h, rhoCase, 'take_charge');
  await activeTask(h, bollateCase, 'take_charge', 'coordinatore.bollate');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const listed = async (user: DemoUsername) =>
  ((await request(h.app).get('/api/cases').query({ limit: 200 }).set(...bearer(h, user))).body as { items: Array<{ id: string }> }).items.map((c) => c.id);
const tasksListed = async (user: DemoUsername, scope?: string) =>
  ((await request(h.app).get('/api/tasks').query(scope === undefined ? {} : { scope }).set(...bearer(h, user))).body as { items: Array<{ caseId: string }> }).items.map((t) => t.caseId);

describe('intake routing', () => {
  it('gives a case reported in Bollate the Bollatese Ambito, one reported in Rho the Rhodense', async () => {
    expect(await h.prisma.case.findUnique({ where: { id: bollateCase }, select: { ambitoId: true } })).toEqual({ ambitoId: 'bollatese' });
    expect(await h.prisma.case.findUnique({ where: { id: rhoCase }, select: { ambitoId: true } })).toEqual({ ambitoId: 'rhodense' });
  });

  it('refuses a report from someone outside the event Comune’s Ambito (422 naming eventComuneCode), storing nothing', async () => {
    const before = await h.prisma.case.count();
    const res = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(bollateReport());
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'OUTSIDE_AMBITO', errors: [{ path: 'eventComuneCode' }] });
    expect(await h.prisma.case.count()).toBe(before);
  });
});

describe.each([
  { coordinator: 'coordinatore', operator: 'operatore1', own: () => rhoCase, other: () => bollateCase, otherCoordinator: 'coordinatore.bollate' },
  { coordinator: 'coordinatore.bollate', operator: 'operatore.bollate', own: () => bollateCase, other: () => rhoCase, otherCoordinator: 'coordinatore' },
] as const)('$coordinator and $operator', ({ coordinator, operator, own, other, otherCoordinator }) => {
  it('list the cases and tasks of their Ambito only', async () => {
    for (const user of [coordinator, operator]) {
      const cases = await listed(user);
      expect(cases).toContain(own());
      expect(cases).not.toContain(other());
    }
    expect(await tasksListed(coordinator, 'all')).toContain(own());
    expect(await tasksListed(coordinator, 'all')).not.toContain(other());
    expect(await tasksListed(operator)).toContain(own());
    expect(await tasksListed(operator)).not.toContain(other());
  });

  it('cannot open, note, claim, complete or escalate a case of the other Ambito: 404, nothing changes, the refusal is audited', async () => {
    const take = await activeTask(h, other(), 'take_charge', otherCoordinator);
    const before = await h.prisma.task.findUniqueOrThrow({ where: { id: take.id } });
    const attempts = [
      request(h.app).get(`/api/cases/${other()}`).set(...bearer(h, coordinator)),
      request(h.app).post(`/api/cases/${other()}/notes`).set(...bearer(h, coordinator)).send({ text: 'nota' }),
      request(h.app).post(`/api/cases/${other()}/escalate`).set(...bearer(h, coordinator)).send({ reason: 'prova' }),
      request(h.app).get(`/api/tasks/${take.id}`).set(...bearer(h, operator)),
      request(h.app).post(`/api/tasks/${take.id}/claim`).set(...bearer(h, operator)),
      request(h.app).post(`/api/tasks/${take.id}/complete`).set(...bearer(h, coordinator)).send({ form: { etaMinutes: 10 } }),
    ];
    const answers = [];
    for (const attempt of attempts) answers.push(await attempt);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    // The same answer as for a case that does not exist.
    expect(answers[0]?.body).toMatchObject({ detail: 'Caso non trovato' });
    expect(answers[4]?.body).toMatchObject({ detail: 'Attività non trovata' });
    expect(await h.prisma.task.findUniqueOrThrow({ where: { id: take.id } })).toEqual(before);
    expect(await h.prisma.note.count({ where: { caseId: other() } })).toBe(0);
    const audit = await h.prisma.auditEvent.findMany({
      where: { requestId: { in: answers.map((r) => r.headers['x-request-id'] as string) } },
      select: { action: true, caseId: true, outcome: true },
      orderBy: { id: 'asc' },
    });
    expect(audit).toEqual(
      ['case.read', 'case.note', 'case.escalate', 'task.read', 'task.claim', 'task.complete'].map((action) => ({ action, caseId: other(), outcome: 'not_found' })),
    );
  });

  it('see only the stuck cases of their Ambito (overdue task, failed write), admin those of both', async () => {
    const both = [rhoCase, bollateCase];
    const stuckIds = async (user: DemoUsername) => {
      const res = await request(h.app).get('/api/supervision/stuck').set(...bearer(h, user));
      expect(res.status).toBe(200);
      return (res.body as { items: Array<{ caseId: string; reasons: Array<{ kind: string }> }> }).items.filter((i) => both.includes(i.caseId));
    };
    const dueBefore = await h.prisma.task.findMany({ where: { caseId: { in: both }, status: { in: ['open', 'claimed'] } }, select: { id: true, dueAt: true } });
    try {
      // The overdue-task reason (scoped by Task.ambitoId) for both cases.
      await h.prisma.task.updateMany({ where: { id: { in: dueBefore.map((t) => t.id) } }, data: { dueAt: new Date(Date.now() - 3_600_000) } });
      const byTask = await stuckIds(coordinator);
      expect(byTask.map((i) => i.caseId)).toEqual([own()]);
      expect(byTask[0]?.reasons.map((r) => r.kind)).toContain('task_overdue');
      expect((await stuckIds('admin')).map((i) => i.caseId).sort()).toEqual([...both].sort());
      // The failed-write reason (scoped by Case.ambitoId) alone.
      for (const t of dueBefore) await h.prisma.task.update({ where: { id: t.id }, data: { dueAt: t.dueAt } });
      await h.prisma.case.updateMany({ where: { id: { in: both } }, data: { persistenceFailedAt: new Date(), persistenceError: 'TestError' } });
      const byCase = await stuckIds(coordinator);
      expect(byCase.map((i) => i.caseId)).toEqual([own()]);
      expect(byCase[0]?.reasons.map((r) => r.kind)).toContain('persistence_failed');
      expect((await stuckIds(otherCoordinator)).map((i) => i.caseId)).toEqual([other()]);
    } finally {
      await h.prisma.case.updateMany({ where: { id: { in: both } }, data: { persistenceFailedAt: null, persistenceError: null } });
      for (const t of dueBefore) await h.prisma.task.update({ where: { id: t.id }, data: { dueAt: t.dueAt } });
    }
  });

  it('open their own case and see only their Ambito in supervision', async () => {
    expect((await request(h.app).get(`/api/cases/${own()}`).set(...bearer(h, coordinator))).status).toBe(200);
    const summary = (await request(h.app).get('/api/supervision/summary').set(...bearer(h, coordinator))).body as { byComune: Record<string, number> };
    const ownComune = own() === rhoCase ? '015182' : '015027';
    const otherComune = own() === rhoCase ? '015027' : '015182';
    expect(summary.byComune[ownComune]).toBeGreaterThanOrEqual(1);
    expect(summary.byComune[otherComune]).toBeUndefined();
  });
});

describe('admin', () => {
  it('lists the cases of every Ambito, and its supervision counts them all', async () => {
    expect(await listed('admin')).toEqual(expect.arrayContaining([rhoCase, bollateCase]));
    const summary = (await request(h.app).get('/api/supervision/summary').set(...bearer(h, 'admin'))).body as { byComune: Record<string, number> };
    expect(summary.byComune).toMatchObject({ '015182': expect.any(Number) as number, '015027': expect.any(Number) as number });
  });
});

describe('social workers', () => {
  it('keep the Comune rule: the Bollate social worker sees the Bollate case, not the Rho one', async () => {
    const cases = await listed('as.bollate');
    expect(cases).toContain(bollateCase);
    expect(cases).not.toContain(rhoCase);
    expect((await request(h.app).get(`/api/cases/${rhoCase}`).set(...bearer(h, 'as.bollate'))).status).toBe(404);
    expect((await request(h.app).get(`/api/cases/${bollateCase}`).set(...bearer(h, 'as.rho'))).status).toBe(404);
  });
});

describe('Ambiti of a user', () => {
  it('a change applies at the next request: given the Bollatese, the Rhodense coordinator sees its case too, then not after removal', async () => {
    await h.prisma.userAmbito.create({ data: { userId: 'u-coord', ambitoId: 'bollatese' } });
    (h.deps.auth as TokenService).forgetUser('u-coord');
    expect(await listed('coordinatore')).toEqual(expect.arrayContaining([rhoCase, bollateCase]));
    await h.prisma.userAmbito.delete({ where: { userId_ambitoId: { userId: 'u-coord', ambitoId: 'bollatese' } } });
    (h.deps.auth as TokenService).forgetUser('u-coord');
    expect(await listed('coordinatore')).not.toContain(bollateCase);
  });
});
