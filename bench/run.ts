/**
 * `npm run bench`: what the operator API costs on top of direct calls, and how the read-model
 * queries scale. Starts its own embedded PostgreSQL and Temporal dev server under
 * .cache/bench-<pid> (removed at the end), the production case worker (`src/worker.ts`) in its own
 * process as in docker-compose.yml, and the API on an ephemeral port in this process.
 *
 *   create-case    POST /api/cases              vs receiveReport() in-process (DB write + workflow start)
 *   complete-task  POST /api/tasks/:id/complete vs handle.executeUpdate(completeTaskUpdate)
 *   list / stuck   GET /api/cases, /api/tasks, /api/supervision/stuck at 10k and 100k read-model rows
 *
 * The API and the direct call share one Temporal client (same payload codec) and alternate, and
 * every sample starts on a quiet system: the previous case's workflow is idle (nothing pending).
 *
 * Settings (environment): BENCH_ITERATIONS (default 200), BENCH_ROWS (default "10000,100000").
 * Numbers depend on the machine: compare ratios, not absolute times.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../src/api/app';
import { createLogger } from '../src/api/logger';
import { createAuth, mountApiRoutes } from '../src/api/routes';
import { receiveReport } from '../src/cases/intake';
import { intakeSchema } from '../src/cases/intake-schema';
import { loadConfig } from '../src/config';
import { DEMO_USERS, seedDemoUsers } from '../src/db/demo-users';
import { applyMigrations } from '../src/db/migrate';
import { createPrismaClient } from '../src/db/prisma';
import { seedReferenceData } from '../src/db/seed';
import { resolveTemporalCli } from '../src/embedded/binaries';
import { startEmbeddedPostgres } from '../src/embedded/postgres';
import { startTemporalDevServer } from '../src/embedded/temporal';
import type { PrismaClient } from '../src/generated/prisma/client';
import type { Client } from '@temporalio/client';
import { connectTemporal } from '../src/temporal/client';
import { createDataConverter } from '../src/temporal/data-converter';
import { parseKeyring } from '../src/temporal/keyring';
import { workerStatus } from '../src/supervision/stuck';
import { supervisionSettings } from '../src/supervision/settings';
import { caseWorkflowId, completeTaskUpdate } from '../src/workflows/definitions';
import { freePort } from '../src/embedded/ports';
import { recentSundayNight } from '../test/helpers/dates';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const ROW_STEPS = (process.env.BENCH_ROWS ?? '10000,100000').split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
const NAMESPACE = 'default';

interface Row {
  metric: string;
  rows: string;
  n: number;
  p50: number;
  p95: number;
  ratio?: string;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function time<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const value = await fn();
  samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  return value;
}

/** One JSON request over a kept-alive connection (node:http, the plainest Node client). */
function httpJson(agent: http.Agent, url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { ...headers, ...(payload !== undefined && { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Waits until the case's workflow is idle (its task is in the read model, no workflow task or
 * activity pending), so the next sample does not share the machine with this case's bookkeeping.
 */
async function settle(prisma: PrismaClient, client: Client, caseId: string, type: string): Promise<string> {
  const taskId = await waitForTask(prisma, caseId, type);
  for (let i = 0; i < 200; i += 1) {
    const { raw } = await client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    if (!raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0) return taskId;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the workflow of ${caseId} did not go idle`);
}


let seq = 0;
function report(): Record<string, unknown> {
  seq += 1;
  return {
    reportingForce: 'polizia_locale',
    officerName: 'Agente Bench',
    callbackNumber: '+39 02 0000000',
    reportNumber: `BENCH-${process.pid}-${seq}-${randomUUID().slice(0, 8)}`,
    reportedAt: recentSundayNight(),
    eventComuneCode: '015182',
    eventAddress: 'Via di prova 1',
    categories: ['homeless'],
    people: [{ role: 'subject' }],
    narrative: 'Caso sintetico per il benchmark.',
  };
}

async function waitForTask(prisma: PrismaClient, caseId: string, type: string): Promise<string> {
  for (let i = 0; i < 600; i += 1) {
    const task = await prisma.task.findFirst({ where: { caseId, type, status: { in: ['open', 'claimed'] } } });
    if (task) return task.id;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${type} task for ${caseId}`);
}

/** The production worker entry point, in its own process, against the bench's PostgreSQL and Temporal. */
function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; stop: () => Promise<void> } {
  const tsx = path.resolve(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.resolve(__dirname, '..', 'src', 'worker.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Synthetic read-model rows (no workflows behind them), inserted by SQL in one statement each. */
async function fillReadModel(prisma: PrismaClient, target: number): Promise<void> {
  const current = await prisma.case.count();
  const missing = target - current;
  if (missing <= 0) return;
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Case" (id, reference, "workflowId", "reportingForce", "reportNumber", "ambitoId", "eventComuneCode",
      "competentComuneCode", categories, "minorsInvolved", status, step, "riskLevel", flags, "openTaskRoles", "reportedAt",
      "lastProgressAt", "overdueSince", "createdById", "updatedAt")
    SELECT id, 'SYN-' || id, 'syn-' || id, 'carabinieri', 'SYN-' || id, 'rhodense',
      (ARRAY['015009','015087','015116','015170','015176','015179','015182','015211','015229'])[1 + (g % 9)],
      CASE WHEN g % 3 = 0 THEN (ARRAY['015182','015116'])[1 + (g % 2)] END,
      ARRAY[(ARRAY['homeless','women_violence','msna','frail_without_caregiver'])[1 + (g % 4)]], g % 7 = 0,
      (ARRAY['closed','closed','closed','open','awaiting_handover','handover'])[1 + (g % 6)],
      (ARRAY['closure','closure','closure','intervention','handover','handover'])[1 + (g % 6)],
      (ARRAY['low','medium','high','critical'])[1 + (g % 4)], ARRAY[]::text[], ARRAY[]::text[],
      now() - (g % 1000) * interval '1 hour', now() - (g % 500) * interval '1 minute',
      CASE WHEN g % 11 = 0 THEN now() - interval '1 hour' END, 'u-intake', now()
    FROM (SELECT gen_random_uuid()::text AS id, g FROM generate_series(1, ${missing}) AS g) s`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Task" (id, "caseId", type, "candidateRole", status, "createdAt", "dueAt", escalation)
    SELECT c.id || '-t1', c.id, 'intervention', 'emergency_operator', 'open', now() - interval '2 hours',
      now() + ((abs(hashtext(c.id)) % 240) - 120) * interval '1 minute', '{"trigger":"none"}'::jsonb
    FROM "Case" c WHERE c.reference LIKE 'SYN-%' AND c.status = 'open'
      AND NOT EXISTS (SELECT 1 FROM "Task" t WHERE t.id = c.id || '-t1')`);
  await prisma.$executeRawUnsafe('ANALYZE "Case"; ');
  await prisma.$executeRawUnsafe('ANALYZE "Task"; ');
}

async function main(): Promise<void> {
  const dir = path.resolve(__dirname, '..', '.cache', `bench-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o777);
  const stops: Array<() => Promise<unknown>> = [];
  try {
    process.stderr.write('bench: starting PostgreSQL and Temporal…\n');
    const cliPath = await resolveTemporalCli();
    const [pg, temporal] = await Promise.all([
      startEmbeddedPostgres({ dataDir: dir, port: await freePort() }),
      startTemporalDevServer({ cliPath, dataDir: path.join(dir, 'temporal'), port: await freePort(), namespace: NAMESPACE, startTimeoutMs: 120_000 }),
    ]);
    stops.push(() => pg.stop(), () => temporal.stop());
    await pg.createDatabase('bench');
    const url = pg.urlFor('bench');
    await applyMigrations(url);
    const prisma = createPrismaClient(url);
    stops.unshift(() => prisma.$disconnect());
    await seedReferenceData(prisma);
    await seedDemoUsers(prisma);

    const codecKeys = `bench:${randomBytes(32).toString('base64')}`;
    const config = loadConfig({ NODE_ENV: 'test', AUTH_TOKEN_SECRET: randomUUID() + randomUUID(), LOG_LEVEL: 'silent', CODEC_KEYS: codecKeys });
    const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
    const dataConverter = createDataConverter(parseKeyring(codecKeys));
    const { client, connection } = await connectTemporal({ ...config.temporal, namespace: NAMESPACE }, { address: temporal.address, dataConverter });
    stops.unshift(() => connection.close());
    process.stderr.write('bench: starting the worker process…\n');
    const worker = startWorkerProcess({
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: taskQueue,
      CODEC_KEYS: codecKeys,
      PIS_DATA_DIR: path.join(dir, 'worker'),
    });
    stops.unshift(worker.stop);
    const supervision = { prisma, client, connection, namespace: NAMESPACE, taskQueue };
    for (let i = 0; !(await workerStatus(supervision, supervisionSettings(), new Date())).polling; i += 1) {
      if (worker.child.exitCode !== null || i > 240) throw new Error('the worker process did not start polling');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const logger = createLogger({ level: 'silent' });
    const deps = {
      prisma,
      temporal: { client, connection, taskQueue, namespace: NAMESPACE },
      auth: createAuth(config, prisma),
      logger,
      config,
      testing: { loginRateLimit: { windowMs: 60_000, limit: 10_000 } },
    };
    const ok = () => Promise.resolve();
    const app = createApp({ config, logger, health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) }, mount: (a) => mountApiRoutes(a, deps) });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    stops.unshift(() => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    stops.unshift(() => Promise.resolve(agent.destroy()));
    const tokens: Record<string, string> = {};
    for (const u of DEMO_USERS) {
      const res = await httpJson(agent, `${base}/api/auth/login`, 'POST', {}, { username: u.username, password: u.password });
      tokens[u.username] = (res.json as { token: string }).token;
    }
    const api = async (user: string, method: string, p: string, body?: unknown): Promise<unknown> => {
      const { status, json } = await httpJson(agent, `${base}${p}`, method, { Authorization: `Bearer ${tokens[user]}` }, body);
      if (status >= 400) throw new Error(`${method} ${p}: ${status} ${JSON.stringify(json)}`);
      return json;
    };
    const intakeActor = { userId: 'u-intake', role: 'intake_operator' as const };
    const op1 = { userId: 'u-op1', role: 'emergency_operator' as const };
    const rows: Row[] = [];
    const row = (metric: string, rowsLabel: string, samples: number[], ratioTo?: number[]) => {
      const r: Row = { metric, rows: rowsLabel, n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95) };
      if (ratioTo) r.ratio = `${(r.p50 / percentile(ratioTo, 50)).toFixed(2)}×`;
      rows.push(r);
    };

    process.stderr.write('bench: warming up…\n');
    for (let i = 0; i < 3; i += 1) {
      const { caseId } = (await api('intake', 'POST', '/api/cases', report())) as { caseId: string };
      await waitForTask(prisma, caseId, 'take_charge');
    }

    process.stderr.write(`bench: create-case × ${ITERATIONS} (API and direct)…\n`);
    const createApi: number[] = [];
    const createDirect: number[] = [];
    const apiCases: string[] = [];
    const directCases: string[] = [];
    // Pairs alternate which call goes first (ABBA), so neither side always follows the other.
    for (let i = 0; i < ITERATIONS; i += 1) {
      const viaApi = async () => {
        const { caseId } = (await time(createApi, () => api('intake', 'POST', '/api/cases', report()))) as { caseId: string };
        apiCases.push(caseId);
        await settle(prisma, client, caseId, 'take_charge');
      };
      const direct = async () => {
        const data = intakeSchema.parse(report());
        const { caseId } = await time(createDirect, () => receiveReport({ prisma, client, taskQueue }, data, intakeActor));
        directCases.push(caseId);
        await settle(prisma, client, caseId, 'take_charge');
      };
      for (const step of i % 2 === 0 ? [viaApi, direct] : [direct, viaApi]) await step();
    }
    row('create-case: POST /api/cases', '-', createApi, createDirect);
    row('create-case: direct (receiveReport)', '-', createDirect);

    process.stderr.write(`bench: complete-task × ${ITERATIONS} (API and direct)…\n`);
    const completeApi: number[] = [];
    const completeDirect: number[] = [];
    const form = { etaMinutes: 10 };
    for (const [i, apiCaseId] of apiCases.entries()) {
      const viaApi = async () => {
        const taskId = await waitForTask(prisma, apiCaseId, 'take_charge');
        await time(completeApi, () => api('operatore1', 'POST', `/api/tasks/${taskId}/complete`, { form }));
        await settle(prisma, client, apiCaseId, 'risk_check');
      };
      const direct = async () => {
        const caseId = directCases[i] as string;
        const taskId = await waitForTask(prisma, caseId, 'take_charge');
        await time(completeDirect, () =>
          client.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(completeTaskUpdate, { args: [{ taskId, actor: op1, form, submittedAt: new Date().toISOString() }] }),
        );
        await settle(prisma, client, caseId, 'risk_check');
      };
      for (const step of i % 2 === 0 ? [viaApi, direct] : [direct, viaApi]) await step();
    }
    row('complete-task: POST /api/tasks/:id/complete', '-', completeApi, completeDirect);
    row('complete-task: direct executeUpdate', '-', completeDirect);

    const reads: Array<[string, string, string]> = [
      ['list: GET /api/cases?status=active', 'coordinatore', '/api/cases?status=active&limit=50'],
      ['list: GET /api/cases?comune&overdue', 'coordinatore', '/api/cases?comune=015182&overdue=true&sort=overdueSince&limit=50'],
      ['list: GET /api/cases (social worker)', 'as.rho', '/api/cases?limit=50'],
      ['list: GET /api/tasks?scope=all', 'coordinatore', '/api/tasks?scope=all&limit=50'],
      ['stuck: GET /api/supervision/stuck', 'coordinatore', '/api/supervision/stuck'],
      ['summary: GET /api/supervision/summary', 'admin', '/api/supervision/summary'],
    ];
    for (const target of ROW_STEPS) {
      process.stderr.write(`bench: filling the read model to ${target} cases…\n`);
      await fillReadModel(prisma, target);
      for (const [metric, user, p] of reads) {
        const samples: number[] = [];
        await api(user, 'GET', p);
        for (let i = 0; i < ITERATIONS; i += 1) await time(samples, () => api(user, 'GET', p));
        row(metric, target.toLocaleString('en'), samples);
      }
    }

    const header = ['metric', 'rows', 'n', 'p50 ms', 'p95 ms', 'API/direct (p50)'];
    const lines = rows.map((r) => [r.metric, r.rows, String(r.n), r.p50.toFixed(1), r.p95.toFixed(1), r.ratio ?? '']);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
    const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
    console.log(fmt(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const l of lines) console.log(fmt(l));
    console.log(`\nstuck: describes at most 200 running cases per request in Temporal; synthetic rows have no workflow behind them.`);
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => process.stderr.write(`bench: cleanup: ${String(err)}\n`));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
