import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { createServiceMetrics } from '../../src/api/metrics';
import { mountApiRoutes } from '../../src/api/routes';
import { freePort } from '../../src/embedded/ports';
import { activeTask, type ApiHarness, bearer, createCase, startApiHarness } from './api-harness';

/**
 * `GET /metrics` after a scripted case: the service's series from the read model and the API, the
 * Temporal SDK's worker metrics appended, and who may read it.
 */

let h: ApiHarness;
let workerMetrics: string;
let app: Express;

beforeAll(async () => {
  // Before the first connection of this test file: the Runtime serves the SDK's metrics here.
  workerMetrics = `127.0.0.1:${await freePort('127.0.0.1')}`;
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [], telemetryOptions: { metrics: { prometheus: { bindAddress: workerMetrics } } } });
  h = await startApiHarness('metrics');
  const metrics = createServiceMetrics({ prisma: h.prisma, workerMetricsAddress: workerMetrics, readModelCacheMs: 0 });
  const ok = () => Promise.resolve();
  app = createApp({
    config: h.deps.config,
    logger: h.deps.logger,
    health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) },
    metrics,
    mount: (a) => mountApiRoutes(a, h.deps),
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** `name{labels} value` lines of one metric, as a map from the label text to the value. */
function series(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && m[1] === name) out.set(m[2] ?? '', Number(m[3]));
  }
  return out;
}

/** Scrapes over real TCP, connecting to `localAddress` (a non-loopback one makes the peer non-loopback). */
async function scrapeFrom(localAddress: string, target: Express, headers: Record<string, string> = {}): Promise<number> {
  const server = http.createServer(target);
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<number>((resolve, reject) => {
      http
        .get({ host: localAddress, port, path: '/metrics', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

it('exposes the named series with the values of a scripted case', async () => {
  // One case: intake, claim and complete take-charge, then a manual escalation.
  const caseId = await createCase(h, undefined, app);
  const takeCharge = await activeTask(h, caseId, 'take_charge');
  expect((await request(app).post(`/api/v1/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
  expect((await request(app).post(`/api/v1/tasks/${takeCharge.id}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 20 } })).status).toBe(200);
  expect((await request(app).post(`/api/cases/${caseId}/escalate`).set(...bearer(h, 'operatore1')).send({ reason: 'Serve il coordinatore' })).status).toBe(200);
  await activeTask(h, caseId, 'escalation');
  // Overdue: a task due in the past (the read model is what the gauge reads).
  await h.prisma.task.update({ where: { id: (await activeTask(h, caseId, 'escalation')).id }, data: { dueAt: new Date(Date.now() - 60_000) } });
  expect((await request(app).get(`/api/v1/cases/${caseId}`).set(...bearer(h, 'coordinatore'))).status).toBe(200);
  const row = await h.prisma.case.findUniqueOrThrow({ where: { id: caseId }, select: { status: true, step: true } });

  const res = await request(app).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = res.text;

  const open = series(text, 'pis_open_cases');
  expect(open.get(`{status="${row.status}",step="${row.step}"}`)).toBe(1);
  expect([...open.values()].reduce((a, b) => a + b, 0)).toBe(1);
  expect(series(text, 'pis_overdue_tasks').get('{type="escalation"}')).toBe(1);
  expect(series(text, 'pis_escalation_tasks').get('{status="open"}')).toBe(1);
  const notifications = series(text, 'pis_notifications');
  expect(notifications.get('{state="delivered"}')).toBeGreaterThan(0);
  expect(notifications.get('{state="pending"}')).toBe(0);
  expect(text).toContain('# TYPE pis_escalated_tasks gauge');

  // Latency histograms: per action and status class, ids replaced, /api and /api/v1 as one.
  const actions = series(text, 'pis_action_duration_seconds_count');
  expect(actions.get('{action="POST /tasks/:id/claim",status_class="2xx"}')).toBe(1);
  expect(actions.get('{action="POST /tasks/:id/complete",status_class="2xx"}')).toBe(1);
  expect(actions.get('{action="POST /cases/:id/escalate",status_class="2xx"}')).toBe(1);
  expect(actions.get('{action="POST /cases",status_class="2xx"}')).toBe(1);
  expect(series(text, 'pis_action_duration_seconds_bucket').get('{le="+Inf",action="POST /tasks/:id/complete",status_class="2xx"}')).toBe(1);
  expect(series(text, 'pis_http_request_duration_seconds_count').get('{method="GET",route="/cases/:id",status_class="2xx"}')).toBe(1);
  // No case id, task id or name in any label.
  expect(text).not.toContain(caseId);
  expect(text).not.toMatch(/Mario|Senzatetto/);

  // The SDK's worker metrics, from the Runtime's exporter.
  expect(text).toMatch(/^temporal_workflow_task_execution_latency\w*\{/m);
  expect(text).toMatch(/^temporal_activity_execution_latency\w*\{/m);
  expect(text).toMatch(/^pis_process_cpu_seconds_total /m);
});

it('answers only callers on this machine without METRICS_TOKEN, only the token with it', async () => {
  const externalAddress = Object.values((await import('node:os')).networkInterfaces())
    .flat()
    .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
  if (externalAddress === undefined) throw new Error('this test needs a non-loopback IPv4 interface');
  expect(await scrapeFrom('127.0.0.1', app)).toBe(200);
  expect(await scrapeFrom(externalAddress, app)).toBe(403);

  const token = 'metrics-token-0123456789';
  const ok = () => Promise.resolve();
  const guarded = createApp({
    config: h.deps.config,
    logger: h.deps.logger,
    health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) },
    metrics: createServiceMetrics({ prisma: h.prisma, token }),
  });
  expect(await scrapeFrom('127.0.0.1', guarded)).toBe(401);
  expect(await scrapeFrom('127.0.0.1', guarded, { Authorization: 'Bearer wrong-token-0123456789' })).toBe(401);
  expect(await scrapeFrom('127.0.0.1', guarded, { Authorization: `Bearer ${token}` })).toBe(200);
  expect(await scrapeFrom(externalAddress, guarded, { Authorization: `Bearer ${token}` })).toBe(200);
});
