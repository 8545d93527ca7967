import request from 'supertest';
import { createPrismaClient } from '../../src/db/prisma';
import { DEFAULT_SUPERVISION_SETTINGS } from '../../src/supervision/settings';
import { findStuckCases, sanitiseFailure, TemporalScanCache } from '../../src/supervision/stuck';
import { supervisionSettings } from '../../src/supervision/settings';
import { CASE_WORKFLOW_TYPE, caseWorkflowId } from '../../src/workflows/definitions';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { uniqueTaskQueue } from '../helpers/temporal';
import { activeTask, type ApiHarness, bearer, createCase, eventually, startApiHarness, sundayReport } from './api-harness';

/** Stuck cases and the supervision summary, on real workers (running, stopped, never started, broken). */

let h: ApiHarness;
const extraClients: PrismaClient[] = [];

beforeAll(async () => {
  h = await startApiHarness('supervision');
}, 120_000);

afterAll(async () => {
  await h?.close();
  for (const p of extraClients) await p.$disconnect();
});

interface Reason {
  kind: string;
  since: string;
  detail: string;
  suggestedActions: string[];
  taskId?: string;
  activityType?: string;
  attempt?: number;
  lastError?: string;
}
interface StuckCase {
  caseId: string;
  reference: string;
  since: string;
  stuckForMinutes: number;
  reasons: Reason[];
}
interface StuckReport {
  worker: { taskQueue: string; polling: boolean; pollers: number; lastSeenAt: string | null } | null;
  temporalScan: { ok: boolean; lastSuccessAt: string | null; failingSince?: string; error?: { class: string; code?: string } };
  total: number;
  items: StuckCase[];
}

async function stuck(app = h.app): Promise<StuckReport> {
  const res = await request(app).get('/api/supervision/stuck').set(...bearer(h, 'coordinatore'));
  expect(res.status).toBe(200);
  return res.body as StuckReport;
}

function reasonOf(report: StuckReport, caseId: string, kind: string): Reason | undefined {
  return report.items.find((c) => c.caseId === caseId)?.reasons.find((r) => r.kind === kind);
}

describe('GET /api/supervision/stuck', () => {
  it('lists a case whose take-charge task is past its due time, with since and suggested actions', async () => {
    // A 3-second take-charge SLA, for this app only (never reachable through the public API).
    const app = h.appWith({ testing: { ...h.deps.testing, protocolOverrides: { takeChargeSlaMinutes: 0.05 } } });
    const caseId = await createCase(h, sundayReport(), app);
    const task = await activeTask(h, caseId, 'take_charge');
    const report = await eventually('overdue take-charge in the stuck list', async () => {
      const r = await stuck();
      return reasonOf(r, caseId, 'task_overdue') ? r : undefined;
    });
    expect(report.worker).toMatchObject({ taskQueue: h.taskQueue, polling: true });
    const item = report.items.find((c) => c.caseId === caseId);
    expect(reasonOf(report, caseId, 'task_overdue')).toMatchObject({
      taskId: task.id,
      since: task.dueAt,
      suggestedActions: expect.arrayContaining(['reassign', 'escalate']) as unknown,
    });
    expect(item?.since).toBe(task.dueAt);
    // A healthy case on the same worker is not listed.
    const healthy = await createCase(h);
    await activeTask(h, healthy, 'take_charge');
    expect((await stuck()).items.map((c) => c.caseId)).not.toContain(healthy);

    const summary = await request(h.app).get('/api/supervision/summary').set(...bearer(h, 'admin'));
    expect(summary.status).toBe(200);
    const body = summary.body as { byStatus: Record<string, number>; byComune: Record<string, number>; slaBreaches: { takeChargeUnclaimed: number; overdueTasksByType: Record<string, number> } };
    expect(body.slaBreaches.takeChargeUnclaimed).toBeGreaterThanOrEqual(1);
    expect(body.slaBreaches.overdueTasksByType.take_charge).toBeGreaterThanOrEqual(1);
    expect(Object.values(body.byStatus).reduce((a, b) => a + b, 0)).toBe(await h.prisma.case.count());
    expect(body.byComune['015182']).toBe(await h.prisma.case.count({ where: { status: { not: 'closed' }, eventComuneCode: '015182', competentComuneCode: null } }));
  });

  it('flags every running case when no worker ever polled the task queue', async () => {
    const queue = uniqueTaskQueue('api-supervision-idle');
    const app = h.appWith({ taskQueue: queue, testing: { ...h.deps.testing, workflowCallTimeoutMs: 1500, actionWaitMs: 1500 } });
    const caseId = await createCase(h, sundayReport(), app);
    const report = await stuck(app);
    expect(report.worker).toEqual({ taskQueue: queue, polling: false, pollers: 0, lastSeenAt: null });
    expect(reasonOf(report, caseId, 'no_worker')).toMatchObject({ suggestedActions: ['check_worker'] });
    // Actions on such a case answer 202 (registered, pending) after the deadline instead of hanging.
    const cancel = await request(app).post(`/api/cases/${caseId}/cancel`).set(...bearer(h, 'coordinatore')).send({ reason: 'prova senza worker' });
    expect(cancel.status).toBe(202);
    expect(cancel.body).toMatchObject({ status: 'pending', pollUrl: expect.stringMatching(/^\/api\/requests\//) as string });
    const audit = await h.prisma.auditEvent.findFirst({ where: { requestId: cancel.headers['x-request-id'] as string } });
    expect(audit).toMatchObject({ action: 'case.cancel', caseId, outcome: 'accepted' });
  });

  it('flags no worker on every running case, beyond the cap of cases described in Temporal, page by page', async () => {
    const queue = uniqueTaskQueue('api-supervision-many');
    const app = h.appWith({ taskQueue: queue, supervision: { describeLimit: 1 } });
    const ids = [await createCase(h, sundayReport(), app), await createCase(h, sundayReport(), app), await createCase(h, sundayReport(), app)];
    const running = await h.prisma.case.count({ where: { status: { not: 'closed' } } });
    const seen = new Set<string>();
    for (let offset = 0; offset < running + 100; offset += 100) {
      const res = await request(app).get(`/api/supervision/stuck?limit=100&offset=${offset}`).set(...bearer(h, 'coordinatore'));
      expect(res.status).toBe(200);
      const page = res.body as StuckReport;
      expect(page.temporalScan.ok).toBe(true);
      expect(page.total).toBeGreaterThanOrEqual(running);
      for (const item of page.items) if (item.reasons.some((r) => r.kind === 'no_worker')) seen.add(item.caseId);
      if (page.items.length < 100) break;
    }
    for (const id of ids) expect(seen.has(id)).toBe(true);
    expect(seen.size).toBe(running);
  });

  it('says when Temporal cannot be scanned, and still lists what the read model shows', async () => {
    const { Connection, Client } = await import('@temporalio/client');
    // Nothing listens on port 1; no retry interceptor, so each call fails at once and nothing outlives the test.
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500, interceptors: [] });
    const client = new Client({ connection, namespace: h.deps.temporal.namespace });
    const overdue = h.appWith({ testing: { ...h.deps.testing, protocolOverrides: { takeChargeSlaMinutes: 0.02 } } });
    const caseId = await createCase(h, sundayReport(), overdue);
    await activeTask(h, caseId, 'take_charge');
    const settings = supervisionSettings();
    const blind = { prisma: h.prisma, client, connection, namespace: h.deps.temporal.namespace, taskQueue: h.taskQueue };
    const report = await eventually('overdue task listed', async () => {
      const r = await findStuckCases(blind, settings, { limit: 500, offset: 0 }, new Date(), new TemporalScanCache(1000, { timeoutMs: 3000 }));
      return r.items.some((c) => c.caseId === caseId) ? r : undefined;
    });
    expect(report.temporalScan).toMatchObject({ ok: false, lastSuccessAt: null, failingSince: expect.any(String) as unknown, error: { class: expect.any(String) as unknown } });
    expect(report.temporalCheckedAt).toBeNull();
    expect(report.worker).toBeNull();
    expect(report.items.find((c) => c.caseId === caseId)?.reasons.some((r) => r.kind === 'task_overdue')).toBe(true);
    await connection.close();
  });

  it('notices a worker that stopped polling', async () => {
    const queue = uniqueTaskQueue('api-supervision-stopped');
    const worker = await h.startWorker(queue);
    const app = h.appWith({ taskQueue: queue, supervision: { pollerStaleSeconds: 2 } });
    const caseId = await createCase(h, sundayReport(), app);
    await activeTask(h, caseId, 'take_charge');
    await worker.stop();
    const report = await eventually('no_worker after the stop', async () => {
      const r = await stuck(app);
      return reasonOf(r, caseId, 'no_worker') ? r : undefined;
    });
    expect(report.worker?.polling).toBe(false);
  });

  it('reports an activity that keeps failing, with its sanitised last error', async () => {
    // A worker whose database does not exist: every activity fails and is retried.
    const brokenUrl = new URL(h.db.url);
    brokenUrl.pathname = `${brokenUrl.pathname}_missing`;
    const broken = createPrismaClient(brokenUrl.toString());
    extraClients.push(broken);
    const queue = uniqueTaskQueue('api-supervision-broken');
    await h.startWorker(queue, broken);
    const app = h.appWith({ taskQueue: queue });
    const caseId = await createCase(h, sundayReport(), app);
    const report = await eventually('activity_failing in the stuck list', async () => {
      const r = await stuck(app);
      return reasonOf(r, caseId, 'activity_failing') ? r : undefined;
    });
    const reason = reasonOf(report, caseId, 'activity_failing');
    expect(reason).toMatchObject({ activityType: expect.stringMatching(/^(assessScope|persistCase)$/) as unknown, suggestedActions: ['check_worker'] });
    expect(reason?.attempt).toBeGreaterThan(1);
    expect(reason?.lastError).toEqual(expect.any(String));
    expect(reason?.lastError).not.toContain(brokenUrl.pathname.slice(1));
    expect(reason?.lastError).not.toMatch(/\n/);
  });

  it('reports a workflow whose code keeps failing (as after a bad deploy)', async () => {
    // A case whose workflow input is broken: the real workflow code throws a TypeError on its
    // first task, so Temporal retries the workflow task again and again.
    const caseId = crypto.randomUUID();
    await h.prisma.case.create({
      data: {
        id: caseId,
        reference: `PIS-BROKEN-${caseId.slice(0, 8)}`,
        workflowId: caseWorkflowId(caseId),
        reportingForce: 'carabinieri',
        reportNumber: `BROKEN-${caseId}`,
        ambitoId: 'rhodense',
        eventComuneCode: '015182',
        status: 'intake',
        step: 'intake',
        reportedAt: new Date(),
        lastProgressAt: new Date(),
        createdById: 'u-intake',
      },
    });
    await h.client.workflow.start(CASE_WORKFLOW_TYPE, { workflowId: caseWorkflowId(caseId), taskQueue: h.taskQueue, args: [{ caseId }] });
    const report = await eventually('workflow_task_failing in the stuck list', async () => {
      const r = await stuck();
      return reasonOf(r, caseId, 'workflow_task_failing') ? r : undefined;
    });
    expect(reasonOf(report, caseId, 'workflow_task_failing')).toMatchObject({ suggestedActions: ['fix_and_reset'] });
    expect(reasonOf(report, caseId, 'workflow_task_failing')?.attempt).toBeGreaterThan(1);
    await h.client.workflow.getHandle(caseWorkflowId(caseId)).terminate('test done');
  });

  it('pages the list, oldest first, with the total', async () => {
    const all = (await request(h.app).get('/api/supervision/stuck?limit=1000').set(...bearer(h, 'coordinatore'))).body as StuckReport & { total: number };
    expect(all.total).toBeGreaterThanOrEqual(2);
    expect(all.items).toHaveLength(all.total);
    const res = await request(h.app).get('/api/supervision/stuck?limit=1&offset=1').set(...bearer(h, 'coordinatore'));
    expect(res.status).toBe(200);
    const page = res.body as StuckReport & { total: number; limit: number; offset: number };
    expect(page).toMatchObject({ limit: 1, offset: 1 });
    expect(page.total).toBeGreaterThanOrEqual(all.total);
    expect(page.items).toHaveLength(1);
    expect(all.items.map((c) => c.since)).toEqual([...all.items.map((c) => c.since)].sort());
    const bad = await request(h.app).get('/api/supervision/stuck?limit=0').set(...bearer(h, 'coordinatore'));
    expect(bad.status).toBe(400);
  });

  it('counts a case with several reasons once, and its pages add up to the total', async () => {
    // No step allowance at all: every running case is idle, so reasons overlap on purpose.
    const noAllowance = Object.fromEntries(Object.keys(DEFAULT_SUPERVISION_SETTINGS.stepAllowanceMinutes).map((s) => [s, 0]));
    const app = h.appWith({
      supervision: { stepAllowanceMinutes: noAllowance as typeof DEFAULT_SUPERVISION_SETTINGS.stepAllowanceMinutes },
      testing: { ...h.deps.testing, protocolOverrides: { takeChargeSlaMinutes: 0.05 } },
    });
    const caseId = await createCase(h, sundayReport(), app);
    await eventually('overdue and idle at once', async () => {
      const r = await stuck(app);
      const kinds = r.items.find((c) => c.caseId === caseId)?.reasons.map((x) => x.kind) ?? [];
      return kinds.includes('task_overdue') && kinds.includes('no_progress') ? r : undefined;
    });

    const walk = async () => {
      const seen: StuckCase[] = [];
      const totals = new Set<number>();
      for (let offset = 0; offset < 1000; offset += 2) {
        const res = await request(app).get(`/api/supervision/stuck?limit=2&offset=${offset}`).set(...bearer(h, 'coordinatore'));
        expect(res.status).toBe(200);
        const page = res.body as StuckReport & { total: number };
        totals.add(page.total);
        seen.push(...page.items);
        if (page.items.length < 2) break;
      }
      return { seen, totals };
    };
    const runningIds = async () =>
      (await h.prisma.case.findMany({ where: { status: { notIn: ['closed', 'awaiting_handover'] } }, select: { id: true } })).map((c) => c.id);
    const before = await runningIds();
    // Workflows of earlier tests may still move between two pages: walk again until one walk sees one total.
    const { seen, total } = await eventually('a stable walk through the pages', async () => {
      const w = await walk();
      return w.totals.size === 1 ? { seen: w.seen, total: [...w.totals][0] as number } : undefined;
    });
    const ids = seen.map((c) => c.caseId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(total);
    expect(seen.map((c) => c.since)).toEqual([...seen.map((c) => c.since)].sort());
    // Every case running throughout the walk is listed.
    const after = new Set(await runningIds());
    expect(ids).toEqual(expect.arrayContaining(before.filter((id) => after.has(id))) as unknown);
    expect(seen.filter((c) => c.caseId === caseId)).toHaveLength(1);
    // A page past the end is empty but still says how many there are.
    const past = (await request(app).get(`/api/supervision/stuck?offset=${total + 5}`).set(...bearer(h, 'coordinatore'))).body as StuckReport & { total: number };
    expect(past.items).toEqual([]);
    expect(past.total).toBeGreaterThanOrEqual(1);
    await request(app).post(`/api/cases/${caseId}/cancel`).set(...bearer(h, 'coordinatore')).send({ reason: 'fine prova' }).expect(200);
  });

  it('is for coordinators and admins only', async () => {
    for (const user of ['operatore1', 'intake', 'as.rho'] as const) {
      expect((await request(h.app).get('/api/supervision/stuck').set(...bearer(h, user))).status).toBe(403);
      expect((await request(h.app).get('/api/supervision/summary').set(...bearer(h, user))).status).toBe(403);
    }
  });
});

describe('sanitiseFailure', () => {
  it('keeps one readable line without values, paths, stacks or code frames', () => {
    const message = [
      '',
      'Invalid `prisma.person.create()` invocation in',
      '/work/main/src/activities/index.ts:42:7',
      '  41 const x = 1;',
      '→ 42 await prisma.person.create({ data: { lastName: "Rossi" } })',
      'Unique constraint failed on "Mario Rossi" (mario.rossi@example.org, 3331234567)',
      '    at Object.<anonymous> (/work/main/node_modules/x.js:1:1)',
    ].join('\n');
    const clean = sanitiseFailure(message);
    expect(clean).toBe('Invalid "…" invocation in Unique constraint failed on "…" ([email], #)');
    expect(sanitiseFailure(undefined)).toBe('errore senza messaggio');
    expect(sanitiseFailure('x'.repeat(500))).toHaveLength(200);
  });
});
