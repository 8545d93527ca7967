import request from 'supertest';
import { activeTask, type ApiHarness, bearer, createCase, eventually, startApiHarness } from './api-harness';

/**
 * Through the API: a case whose write the database refuses shows in the stuck list with reason
 * persistence_failed (class and code, no data), refuses further actions with 409 CASE_BLOCKED
 * (nothing happens), the action that hit the failure is answered 202 — never 200 — and resolves
 * once a coordinator retries after the cause is fixed.
 */

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('persistence_failure', { testing: { actionWaitMs: 2000 } });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

interface StuckItem {
  caseId: string;
  reasons: Array<{ kind: string; detail: string; suggestedActions: string[] }>;
}

it('reports the blocked case, answers honestly, and resumes after the coordinator retries', async () => {
  const caseId = await createCase(h);
  const takeCharge = await activeTask(h, caseId, 'take_charge');
  await h.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_escalation() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`);
  await h.prisma.$executeRawUnsafe(
    `CREATE TRIGGER refuse_escalation BEFORE INSERT ON "TimelineEntry" FOR EACH ROW WHEN (NEW.kind = 'case_escalated') EXECUTE FUNCTION refuse_escalation()`,
  );

  const escalate = await request(h.app)
    .post(`/api/cases/${caseId}/escalate`)
    .set(...bearer(h, 'operatore1'))
    .set('Idempotency-Key', 'escalate-blocked-0001')
    .send({ reason: 'Situazione in peggioramento' });
  expect(escalate.status).toBe(202);
  const pollUrl = (escalate.body as { pollUrl: string }).pollUrl;

  const stuck = await eventually('persistence_failed in the stuck list', async () => {
    const res = await request(h.app).get('/api/supervision/stuck').set(...bearer(h, 'coordinatore'));
    return (res.body as { items: StuckItem[] }).items.find((c) => c.caseId === caseId && c.reasons.some((r) => r.kind === 'persistence_failed'));
  });
  const reason = stuck.reasons.find((r) => r.kind === 'persistence_failed');
  expect(reason?.suggestedActions).toEqual(['retry_persistence']);
  expect(reason?.detail).toContain('P2039/P0001');
  expect(reason?.detail).not.toContain('peggioramento');

  // Still pending, and any other action is refused with nothing done.
  expect((await request(h.app).get(pollUrl).set(...bearer(h, 'operatore1'))).status).toBe(202);
  const claim = await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'));
  expect(claim.status).toBe(409);
  expect((claim.body as { code: string }).code).toBe('CASE_BLOCKED');
  expect((await request(h.app).post(`/api/cases/${caseId}/retry-persistence`).set(...bearer(h, 'operatore1')).send({})).status).toBe(403);

  // Fixed: the coordinator retries; the escalation resolves to its final answer.
  await h.prisma.$executeRawUnsafe(`DROP TRIGGER refuse_escalation ON "TimelineEntry"`);
  const retry = await request(h.app).post(`/api/cases/${caseId}/retry-persistence`).set(...bearer(h, 'coordinatore')).send({});
  expect(retry.status).toBe(200);
  const final = await eventually('the escalation outcome', async () => {
    const res = await request(h.app).get(pollUrl).set(...bearer(h, 'operatore1'));
    return res.status === 200 ? res : undefined;
  });
  expect((final.body as { nextTasks: Array<{ type: string }> }).nextTasks.map((t) => t.type)).toContain('escalation');
  const row = await h.prisma.case.findUniqueOrThrow({ where: { id: caseId } });
  expect(row.persistenceFailedAt).toBeNull();
  const again = await request(h.app).post(`/api/cases/${caseId}/retry-persistence`).set(...bearer(h, 'coordinatore')).send({});
  expect(again.status).toBe(409);
  expect((again.body as { code: string }).code).toBe('NOTHING_TO_RETRY');
});
