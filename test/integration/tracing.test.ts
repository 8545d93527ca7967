import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createActivities } from '../../src/activities';
import { outboxOnlyNotifier } from '../../src/activities/notifier';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { caseWorkflowBundle, createCaseWorker } from '../../src/temporal/worker';
import { caseWorkflowId } from '../../src/workflows/definitions';
import { startTracing, type Tracing } from '../../src/telemetry/tracing';
import { testNamespace, testNativeConnection, uniqueTaskQueue } from '../helpers/temporal';
import { activeTask, type ApiHarness, bearer, eventually, startApiHarness, sundayReport } from './api-harness';

/**
 * Tracing through the production setup path (startTracing: the Node SDK, OTLP/HTTP exporter, the
 * SDK's interceptors) into a real OTLP/HTTP receiver started here: the spans of one task
 * completion form one trace from the HTTP request to the activity that stores it, with no
 * personal data in names or attributes.
 */

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
}
interface OtlpExport {
  resourceSpans: Array<{ resource?: { attributes?: Array<{ key: string; value: Record<string, unknown> }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

/** An OTLP/HTTP trace receiver (JSON encoding, what @opentelemetry/exporter-trace-otlp-http sends). */
class OtlpReceiver {
  readonly bodies: string[] = [];
  readonly spans: OtlpSpan[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !/json/.test(req.headers['content-type'] ?? '')) {
        res.writeHead(400).end();
        return;
      }
      this.bodies.push(body);
      const parsed = JSON.parse(body) as OtlpExport;
      for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) this.spans.push(...ss.spans);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let h: ApiHarness;
let receiver: OtlpReceiver;
let tracing: Tracing;
let worker: Worker;
let running: Promise<void>;
let native: NativeConnection;
let app: Express;

beforeAll(async () => {
  receiver = new OtlpReceiver();
  const endpoint = await receiver.start();
  const traced = startTracing({ tracing: { otlpEndpoint: endpoint, serviceName: 'pis-test' } });
  if (traced === undefined) throw new Error('tracing did not start with an endpoint');
  tracing = traced;
  h = await startApiHarness('tracing', { worker: false });
  const taskQueue = uniqueTaskQueue('tracing');
  const client = new Client({ connection: h.connection, namespace: testNamespace(), interceptors: { workflow: tracing.clientInterceptors } });
  native = await testNativeConnection();
  worker = await createCaseWorker({
    connection: native,
    namespace: testNamespace(),
    taskQueue,
    activities: createActivities({ prisma: h.prisma, notifier: outboxOnlyNotifier }),
    shutdownGraceSeconds: 1,
    tracing: tracing.worker,
  });
  running = worker.run();
  const ok = () => Promise.resolve();
  app = createApp({
    config: h.deps.config,
    logger: h.deps.logger,
    health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) },
    tracing: tracing.requestMiddleware,
    mount: (a) => mountApiRoutes(a, { ...h.deps, temporal: { ...h.deps.temporal, client, taskQueue } }),
  });
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await native?.close();
  await tracing?.shutdown();
  await h?.close();
  await receiver?.close();
});

const byId = () => new Map(receiver.spans.map((s) => [s.spanId, s]));

/** The names from `span` up to the root, following parentSpanId among the received spans. */
function ancestry(span: OtlpSpan): string[] {
  const spans = byId();
  const names = [span.name];
  for (let parent = span.parentSpanId; parent; ) {
    const p = spans.get(parent);
    if (p === undefined) break;
    names.push(p.name);
    parent = p.parentSpanId;
  }
  return names;
}

it('one task completion is one trace: HTTP request → update → (workflow) → persistCase activity', async () => {
  const report = sundayReport();
  const created = await request(app).post('/api/v1/cases').set(...bearer(h, 'intake')).send(report);
  expect(created.status).toBe(201);
  const caseId = (created.body as { caseId: string }).caseId;
  const task = await activeTask(h, caseId, 'take_charge');
  expect((await request(app).post(`/api/v1/tasks/${task.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
  const done = await request(app)
    .post(`/api/v1/tasks/${task.id}/complete`)
    .set(...bearer(h, 'operatore1'))
    .set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')
    .send({ form: { etaMinutes: 20 } });
  expect(done.status).toBe(200);

  // The incoming traceparent is continued; wait until the activity's span of that trace arrived.
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const activity = await eventually('the persistCase activity span of the completion trace', async () => {
    await tracing.forceFlush();
    return receiver.spans.find((s) => s.traceId === traceId && s.name === 'RunActivity:persistCase');
  });
  const chain = ancestry(activity);
  // The activity's parent is the client's update span (the header passed on by the workflow).
  expect(chain).toEqual(['RunActivity:persistCase', expect.stringMatching(/^StartWorkflowUpdate:/), 'POST /tasks/:id/complete']);
  const root = [...byId().values()].find((s) => s.name === 'POST /tasks/:id/complete' && s.traceId === traceId);
  expect(root?.parentSpanId).toBe('b7ad6b7169203331');

  // The intake's trace, separate, reaches its own workflow start.
  const intake = receiver.spans.find((s) => s.name === 'POST /cases');
  expect(intake).toBeDefined();
  expect(intake?.traceId).not.toBe(traceId);
  expect(receiver.spans.some((s) => s.traceId === intake?.traceId && s.name.startsWith('StartWorkflow:'))).toBe(true);
  // ...and the activities the workflow ran for the intake (before any action) are in it.
  expect(receiver.spans.some((s) => s.traceId === intake?.traceId && s.name.startsWith('RunActivity:'))).toBe(true);

  // No personal data anywhere in what was exported: names, attributes, resource.
  const exported = receiver.bodies.join('\n');
  for (const personal of ['Mario', 'Senzatetto', 'Bianchi', 'Piazza San Vittore', report.reportNumber as string, '+39 02', 'portico']) {
    expect(exported).not.toContain(personal);
  }
  const keys = new Set(receiver.spans.flatMap((s) => (s.attributes ?? []).map((a) => a.key)));
  expect([...keys].every((k) => /^(temporal\w+|run_id|http\.[a-z_.]+)$/.test(k))).toBe(true);
  expect(receiver.spans.find((s) => s.name === 'RunActivity:persistCase')?.attributes?.find((a) => a.key === 'temporalWorkflowId')?.value).toEqual({ stringValue: `pis-case-${caseId}` });

  // Turning tracing off again is safe too: the traced case's history (trace headers on its
  // activities) replays against the bundle without the tracing interceptors, and with them.
  const history = await h.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await caseWorkflowBundle() }, history, caseWorkflowId(caseId));
  await Worker.runReplayHistory({ workflowBundle: await caseWorkflowBundle({ tracing: true }), interceptors: tracing.worker.interceptors }, history, caseWorkflowId(caseId));
});
