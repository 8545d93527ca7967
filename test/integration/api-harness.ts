import type { Connection, Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createActivities } from '../../src/activities';
import { outboxOnlyNotifier } from '../../src/activities/notifier';
import { createApp } from '../../src/api/app';
import { createLogger } from '../../src/api/logger';
import { type ApiDeps, createAuth, mountApiRoutes } from '../../src/api/routes';
import { loadConfig } from '../../src/config';
import { DEMO_USERS, seedDemoUsers } from '../../src/db/demo-users';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { createCaseWorker } from '../../src/temporal/worker';
import { recentSundayNight } from '../helpers/dates';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { testClient, testNamespace, testNativeConnection, uniqueTaskQueue } from '../helpers/temporal';

/**
 * The API on the real stack for one suite: its own database (migrated, seeded, demo users), a
 * client on the shared dev server, a case worker on the suite's task queue, tokens of every demo
 * user. Extra apps on other task queues share the database (e.g. a queue no worker polls).
 */

export type DemoUsername = (typeof DEMO_USERS)[number]['username'];
export const TEST_SECRET = 'test-secret-for-api-suites-0123456789abcdef';

export interface ApiHarness {
  db: TestDatabase;
  prisma: PrismaClient;
  client: Client;
  connection: Connection;
  taskQueue: string;
  app: Express;
  deps: ApiDeps;
  tokens: Record<DemoUsername, string>;
  /** Another app on the same database and Temporal, with other deps (task queue, test knobs). */
  appWith(overrides: Partial<ApiDeps> & { taskQueue?: string }): Express;
  startWorker(taskQueue: string, prisma?: PrismaClient): Promise<RunningWorker>;
  close(): Promise<void>;
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  testing?: ApiDeps['testing'];
  worker?: boolean;
  /** The production data converter (encryption) for client and workers; default JSON otherwise. */
  dataConverter?: DataConverter;
}

export async function startApiHarness(name: string, options: HarnessOptions = {}): Promise<ApiHarness> {
  const db = await createTestDatabase(`api_${name}`);
  await seedDemoUsers(db.prisma);
  const { client, connection } = await testClient(options.dataConverter);
  const taskQueue = uniqueTaskQueue(`api-${name}`);
  const config = loadConfig({ NODE_ENV: 'test', AUTH_TOKEN_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', API_BODY_LIMIT: '100kb' });
  const logger = createLogger({ level: 'silent' });
  const auth = createAuth(config, db.prisma);
  const baseDeps: ApiDeps = {
    prisma: db.prisma,
    temporal: { client, connection, taskQueue, namespace: testNamespace() },
    auth,
    logger,
    config,
    // Every request revalidates the cached Temporal scan, so `eventually` converges within a poll or two.
    supervision: { temporalScanMaxAgeSeconds: 0 },
    testing: { loginRateLimit: { windowMs: 60_000, limit: 1000 }, ...options.testing },
  };
  const ok = (): Promise<void> => Promise.resolve();
  const build = (deps: ApiDeps): Express =>
    createApp({ config, logger, health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) }, mount: (app) => mountApiRoutes(app, deps) });

  const workers: RunningWorker[] = [];
  const nativeConnections: NativeConnection[] = [];
  const startWorker = async (queue: string, prisma: PrismaClient = db.prisma): Promise<RunningWorker> => {
    const native = await testNativeConnection();
    nativeConnections.push(native);
    const worker = await createCaseWorker({
      connection: native,
      namespace: testNamespace(),
      taskQueue: queue,
      activities: createActivities({ prisma, notifier: outboxOnlyNotifier }),
      dataConverter: options.dataConverter,
      shutdownGraceSeconds: 1,
    });
    const running = worker.run();
    let stopped = false;
    const handle: RunningWorker = {
      worker,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        worker.shutdown();
        await running;
      },
    };
    workers.push(handle);
    return handle;
  };
  if (options.worker !== false) await startWorker(taskQueue);

  const app = build(baseDeps);
  const tokens = {} as Record<DemoUsername, string>;
  for (const u of DEMO_USERS) {
    const res = await request(app).post('/api/auth/login').send({ username: u.username, password: u.password });
    if (res.status !== 200) throw new Error(`login of ${u.username} failed: ${res.status}`);
    tokens[u.username] = (res.body as { token: string }).token;
  }

  return {
    db,
    prisma: db.prisma,
    client,
    connection,
    taskQueue,
    app,
    deps: baseDeps,
    tokens,
    appWith: ({ taskQueue: queue, ...overrides }) =>
      build({ ...baseDeps, ...overrides, supervision: { ...baseDeps.supervision, ...overrides.supervision }, temporal: { ...baseDeps.temporal, ...overrides.temporal, ...(queue !== undefined && { taskQueue: queue }) } }),
    startWorker,
    close: async () => {
      for (const w of workers) await w.stop();
      for (const n of nativeConnections) await n.close();
      await connection.close();
      await db.drop();
    },
  };
}

let reportSeq = 0;

/** A valid police report made on a recent Sunday night (PIS in scope), unique per call. */
export function sundayReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  reportSeq += 1;
  return {
    reportingForce: 'carabinieri',
    officerName: 'App. Scelto Bianchi',
    callbackNumber: '+39 02 1234567',
    reportNumber: `CC-${Date.now()}-${reportSeq}-${Math.random().toString(36).slice(2, 8)}`,
    reportedAt: recentSundayNight(),
    eventComuneCode: '015182',
    eventAddress: 'Piazza San Vittore 1, Rho',
    residenceComuneCode: '015182',
    categories: ['homeless'],
    people: [{ role: 'subject', firstName: 'Mario', lastName: 'Senzatetto', birthYear: 1961, gender: 'm' }],
    immediateDangers: ['cold_exposure'],
    narrative: 'Uomo senza dimora sdraiato sotto il portico, temperatura sotto zero.',
    ...overrides,
  };
}

/** Polls `probe` until it returns a value (not undefined); fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface TaskItem {
  id: string;
  caseId: string;
  type: string;
  status: string;
  assigneeId: string | null;
  comuneCode: string | null;
  dueAt: string | null;
}

/** Waits for the read model to show an active task of `type` on the case (as the coordinator of its Ambito sees it). */
export function activeTask(h: ApiHarness, caseId: string, type: string, coordinator: DemoUsername = 'coordinatore'): Promise<TaskItem> {
  return eventually(`${type} task of ${caseId}`, async () => {
    const res = await request(h.app).get('/api/tasks').query({ caseId, type, scope: 'all' }).set('Authorization', `Bearer ${h.tokens[coordinator]}`);
    if (res.status !== 200) throw new Error(`GET /api/tasks answered ${res.status}`);
    return (res.body as { items: TaskItem[] }).items[0];
  });
}

export function bearer(h: ApiHarness, user: DemoUsername): [string, string] {
  return ['Authorization', `Bearer ${h.tokens[user]}`];
}

export async function createCase(h: ApiHarness, report = sundayReport(), app = h.app, reporter: DemoUsername = 'intake'): Promise<string> {
  const res = await request(app).post('/api/cases').set(...bearer(h, reporter)).send(report);
  if (res.status !== 201) throw new Error(`POST /api/cases answered ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body as { caseId: string }).caseId;
}
