import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { forms } from '../../scripts/lib/case-driver';
import { reconcileOnce } from '../../src/cases/reconciler';
import { freePort } from '../../src/embedded/ports';
import { caseWorkflowId } from '../../src/workflows/definitions';
import { testNamespace } from '../helpers/temporal';
import { activeTask, type ApiHarness, bearer, createCase, eventually, startApiHarness, sundayReport } from './api-harness';

/**
 * Idempotent, honest actions (issue 10, findings 2, 3, 9): a request id per action used as the
 * Temporal update id, 202 + GET /api/requests/:id when the worker does not answer in time, intake
 * that never leaves a case without its workflow, read-your-writes for the next task.
 */

let h: ApiHarness;
/** An API whose Temporal client targets a closed port: Temporal unreachable. */
let dead: { connection: Connection; app: ReturnType<ApiHarness['appWith']> };

const WAIT_MS = 1500;

beforeAll(async () => {
  h = await startApiHarness('actions', { testing: { actionWaitMs: WAIT_MS } });
  const port = await freePort();
  const connection = Connection.lazy({ address: `127.0.0.1:${port}` });
  const client = new Client({ connection, namespace: testNamespace() });
  dead = { connection, app: h.appWith({ temporal: { ...h.deps.temporal, client, connection } }) };
}, 120_000);

afterAll(async () => {
  await dead?.connection.close();
  await h?.close();
});

const key = () => `test-${randomUUID()}`;
const noRisk = forms.riskCheck().questions;

interface CaseState {
  caseId: string;
  revision: number;
  status: string;
  tasks: Array<{ id: string; type: string; status: string }>;
  nextTasks: Array<{ id: string; type: string; status: string; candidateRole: string }>;
}
interface Pending {
  status: string;
  requestId: string;
  pollUrl: string;
}

async function caseWithClaimedTakeCharge(app = h.app): Promise<{ caseId: string; taskId: string }> {
  const caseId = await createCase(h, sundayReport(), app);
  const t = await activeTask(h, caseId, 'take_charge');
  const claimed = await request(app).post(`/api/tasks/${t.id}/claim`).set(...bearer(h, 'operatore1'));
  expect(claimed.status).toBe(200);
  return { caseId, taskId: t.id };
}

describe('idempotent actions', () => {
  test('a retry with the same key after a success gets the same answer, not 409', async () => {
    const caseId = await createCase(h);
    const t = await activeTask(h, caseId, 'take_charge');
    const k = key();
    const first = await request(h.app).post(`/api/tasks/${t.id}/claim`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k);
    expect(first.status).toBe(200);
    const again = await request(h.app).post(`/api/tasks/${t.id}/claim`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k);
    expect({ status: again.status, body: again.body as unknown }).toEqual({ status: 200, body: first.body as unknown });
    // Another action (another user, no key) meets the claimed task.
    const other = await request(h.app).post(`/api/tasks/${t.id}/claim`).set(...bearer(h, 'operatore2'));
    expect(other.status).toBe(409);
  });

  test('the same key with another body is 422 IDEMPOTENCY_CONFLICT and changes nothing', async () => {
    const { taskId } = await caseWithClaimedTakeCharge();
    const k = key();
    const first = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k).send({ form: { etaMinutes: 20 } });
    expect(first.status).toBe(200);
    const other = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k).send({ form: { etaMinutes: 30 } });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
  });

  test('a malformed Idempotency-Key is 400 naming the header', async () => {
    const { taskId } = await caseWithClaimedTakeCharge();
    const res = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', 'bad key!').send({ form: { etaMinutes: 20 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ path: 'Idempotency-Key' }] });
  });

  test('worker down: 202 pending; the worker returns, the request resolves to the final 200 and a retry gets it too', async () => {
    const queue = `${h.taskQueue}-down`;
    const worker = await h.startWorker(queue);
    const app = h.appWith({ taskQueue: queue });
    const { caseId, taskId } = await caseWithClaimedTakeCharge(app);
    await worker.stop();

    const k = key();
    const body = { form: { etaMinutes: 20 } };
    const pending = await request(app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k).send(body);
    expect(pending.status).toBe(202);
    const p = pending.body as Pending;
    expect(p).toMatchObject({ status: 'pending', requestId: expect.any(String) as string, pollUrl: `/api/requests/${p.requestId}` });

    // Still pending while no worker polls; only the requester (or a coordinator) may read it.
    const poll = await request(app).get(p.pollUrl).set(...bearer(h, 'operatore1'));
    expect(poll.status).toBe(202);
    expect((await request(app).get(p.pollUrl).set(...bearer(h, 'operatore2'))).status).toBe(404);
    // A retry while pending attaches to the same update: still 202, same request id.
    const retryPending = await request(app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k).send(body);
    expect({ status: retryPending.status, requestId: (retryPending.body as Pending).requestId }).toEqual({ status: 202, requestId: p.requestId });

    await h.startWorker(queue);
    const final = await eventually('the request to resolve', async () => {
      const res = await request(app).get(p.pollUrl).set(...bearer(h, 'operatore1'));
      return res.status === 202 ? undefined : res;
    });
    expect(final.status).toBe(200);
    const state = final.body as CaseState;
    expect(state.caseId).toBe(caseId);
    expect(state.tasks.find((t) => t.id === taskId)?.status).toBe('completed');
    expect(state.nextTasks.map((t) => t.type)).toContain('risk_check');

    const retry = await request(app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k).send(body);
    expect({ status: retry.status, body: retry.body as unknown }).toEqual({ status: 200, body: final.body as unknown });
    const coordinatorView = await request(app).get(p.pollUrl).set(...bearer(h, 'coordinatore'));
    expect(coordinatorView.status).toBe(200);
  }, 90_000);

  test('Temporal unreachable before the update is sent: 503, nothing happened, a retry with the same key is applied', async () => {
    const { taskId } = await caseWithClaimedTakeCharge();
    const k = key();
    const body = { form: { etaMinutes: 20 } };
    const refused = await request(dead.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k).send(body);
    expect(refused.status).toBe(503);
    const ok = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', k).send(body);
    expect(ok.status).toBe(200);
  }, 60_000);
});

describe('intake with Temporal down', () => {
  test('202 with case id and reference, an outbox row; the reconciler starts the workflow', async () => {
    const res = await request(dead.app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport());
    expect(res.status).toBe(202);
    const { caseId, reference } = res.body as { caseId: string; reference: string };
    expect(reference).toMatch(/^PIS-/);
    expect(await h.prisma.case.count({ where: { id: caseId } })).toBe(1);
    expect(await h.prisma.caseWorkflowStart.count({ where: { caseId } })).toBe(1);

    const result = await reconcileOnce({ prisma: h.prisma, client: h.client, taskQueue: h.taskQueue, logger: h.deps.logger });
    expect(result.started).toBeGreaterThanOrEqual(1);
    const described = await h.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    expect(described.status.name).toBe('RUNNING');
    expect(await h.prisma.caseWorkflowStart.count()).toBe(0);
    await activeTask(h, caseId, 'take_charge');
  }, 60_000);

  test('a case whose workflow has not started yet can be cancelled (start, then cancel), not 409 CASE_CLOSED', async () => {
    const res = await request(dead.app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport());
    expect(res.status).toBe(202);
    const { caseId } = res.body as { caseId: string };
    const cancel = await request(h.app).post(`/api/cases/${caseId}/cancel`).set(...bearer(h, 'coordinatore')).send({ reason: 'Segnalazione doppia' });
    expect({ status: cancel.status, code: (cancel.body as { code?: string }).code }).toEqual({ status: 200, code: undefined });
    expect((cancel.body as CaseState).status).toBe('closed');
    expect(await h.prisma.caseWorkflowStart.count({ where: { caseId } })).toBe(0);
  }, 60_000);

  test('supervision shows a case whose workflow start has been pending for minutes', async () => {
    const res = await request(dead.app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport());
    expect(res.status).toBe(202);
    const { caseId } = res.body as { caseId: string };
    await h.prisma.caseWorkflowStart.update({ where: { caseId }, data: { createdAt: new Date(Date.now() - 5 * 60_000) } });
    const stuck = await request(h.app).get('/api/supervision/stuck').set(...bearer(h, 'coordinatore'));
    expect(stuck.status).toBe(200);
    const item = (stuck.body as { items: Array<{ caseId: string; reasons: Array<{ kind: string }> }> }).items.find((i) => i.caseId === caseId);
    expect(item?.reasons.map((r) => r.kind)).toContain('workflow_not_started');
    await reconcileOnce({ prisma: h.prisma, client: h.client, taskQueue: h.taskQueue, logger: h.deps.logger });
    expect(await h.prisma.caseWorkflowStart.count({ where: { caseId } })).toBe(0);
  }, 60_000);

  test('a normal intake answers 201 and leaves no outbox row', async () => {
    const caseId = await createCase(h);
    expect(await h.prisma.caseWorkflowStart.count({ where: { caseId } })).toBe(0);
  });
});

describe('read-your-writes', () => {
  test('the answer names the next open tasks, and the next task can be completed at once', async () => {
    const { caseId, taskId } = await caseWithClaimedTakeCharge();
    const done = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 20 } });
    expect(done.status).toBe(200);
    const next = (done.body as CaseState).nextTasks.find((t) => t.type === 'risk_check');
    expect(next).toMatchObject({ id: `${caseId}-t2`, candidateRole: 'emergency_operator' });
    const risk = await request(h.app).post(`/api/tasks/${next?.id}/complete`).set(...bearer(h, 'operatore1')).send({ form: { questions: noRisk } });
    expect(risk.status).toBe(200);
  }, 60_000);

  test('a task the read model does not have yet is served from the workflow, authorised on the case row', async () => {
    const { caseId, taskId } = await caseWithClaimedTakeCharge();
    const done = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 20 } });
    expect(done.status).toBe(200);
    const { revision } = done.body as CaseState;
    const nextId = `${caseId}-t2`;
    // Let the read model catch up, then take the row away: the lag, made deterministic.
    await eventually('read model at the answered revision', async () => {
      const row = await h.prisma.case.findUnique({ where: { id: caseId } });
      return row && row.revision >= revision && (await h.prisma.task.count({ where: { id: nextId } })) === 1 ? true : undefined;
    });
    await h.prisma.task.delete({ where: { id: nextId } });

    const read = await request(h.app).get(`/api/tasks/${nextId}`).set(...bearer(h, 'operatore1'));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: nextId, caseId, type: 'risk_check', case: { reference: expect.any(String) as string } });
    // A social worker of another Comune is still refused on the case row (404: not revealed).
    expect((await request(h.app).get(`/api/tasks/${nextId}`).set(...bearer(h, 'as.lainate'))).status).toBe(404);
    // An id the workflow never created stays 404.
    expect((await request(h.app).get(`/api/tasks/${caseId}-t99`).set(...bearer(h, 'operatore1'))).status).toBe(404);
    const completed = await request(h.app).post(`/api/tasks/${nextId}/complete`).set(...bearer(h, 'operatore1')).send({ form: { questions: noRisk } });
    expect(completed.status).toBe(200);
  }, 60_000);
});
