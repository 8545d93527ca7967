/**
 * `npm run bench`: what the engine itself can do on this machine, what the case task path costs
 * against it, what the operator API costs on top of direct calls, and how the read-model queries
 * scale, in one run and one table with the issue's targets. Starts its own embedded PostgreSQL and
 * Temporal dev server under .cache/bench-<pid> (removed at the end), the production case worker
 * (`src/worker.ts`) and the engine-baseline worker (`bench/engine/worker.ts`) each in its own
 * process as in docker-compose.yml, and the API on an ephemeral port in this process.
 *
 *   engine         bare update round trip; update + one regular activity writing to PostgreSQL;
 *                  update + one local activity write (bench/engine/workflows.ts)
 *   create-case    POST /api/cases              vs receiveReport() in-process (DB write + workflow start)
 *   complete-task  POST /api/tasks/:id/complete vs handle.executeUpdate(completeTaskUpdate) vs bare update
 *   history        events and bytes of the standard case (README walk-through) and of a long case
 *                  (20 welfare re-checks, timer shortened to seconds)
 *   throughput     BENCH_THROUGHPUT_CASES cases, BENCH_CONCURRENCY at a time, through the whole
 *                  protocol via the API, vs a bare workflow of the same shape (updates, timers)
 *   list / stuck   GET /api/cases, /api/tasks, /api/supervision/stuck at 10k and 100k read-model rows
 *   modules        rows of bench/modules.ts (BENCH_MODULES)
 *
 * The API and the direct call share one Temporal client (same payload codec) and alternate, and
 * every sample starts on a quiet system: the previous case's workflow is idle (nothing pending).
 *
 * Settings (environment): BENCH_ITERATIONS (default 200), BENCH_ROWS (default "10000,100000"),
 * BENCH_THROUGHPUT_CASES (default 40), BENCH_CONCURRENCY (default 8), BENCH_SECTIONS (default
 * all: engine,create,complete,history,throughput,reads,modules). Numbers depend on the
 * machine: compare ratios, not absolute times.
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
import { CaseDriver, forms, OPERATOR, socialWorker } from '../scripts/lib/case-driver';
import { driveStandardCase, type ApiCall } from './case-drive';
import { driveProtocolShape, historyFigures, type HistoryFigures, throughput, UpdateBaselines } from './engine/baselines';
import { ENGINE_TABLE } from './engine/workflows';
import { BENCH_MODULES } from './modules';
import { seedReadModel } from './read-model-seed';
import { type BenchContext, type BenchRow, formatTable, latencyRow, p50Ratio, ratioTarget } from './table';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const ROW_STEPS = (process.env.BENCH_ROWS ?? '10000,100000').split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
const THROUGHPUT_CASES = Number(process.env.BENCH_THROUGHPUT_CASES ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LONG_CASE_RECHECKS = 20;
const STANDARD_HISTORY_MAX_KB = 60;
const NAMESPACE = 'default';
const SECTIONS = ['engine', 'create', 'complete', 'history', 'throughput', 'reads', 'modules'] as const;
/**
 * BENCH_SECTIONS: which sections run (comma list, default all), e.g. `BENCH_SECTIONS=modules` for
 * the read-model module alone. 'complete' completes the cases of 'create', 'throughput' drives the
 * shape measured by 'history': each brings the section it needs along.
 */
function benchSections(spec = process.env.BENCH_SECTIONS ?? SECTIONS.join(',')): Set<string> {
  const chosen = new Set(spec.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  for (const s of chosen) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`BENCH_SECTIONS: unknown section "${s}" (known: ${SECTIONS.join(', ')})`);
  if (chosen.has('complete')) chosen.add('create');
  if (chosen.has('throughput')) chosen.add('history');
  return chosen;
}
const sections = benchSections();

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

/** A worker entry point (the production one, or the engine baseline's), in its own process. */
function startWorkerProcess(script: string, env: Record<string, string>): { child: ChildProcess; stop: () => Promise<void> } {
  const tsx = path.resolve(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [script], {
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

/** Synthetic read-model rows (no workflows behind them): the read-model module's seeding (bench/read-model-seed.ts). */
async function fillReadModel(prisma: PrismaClient, target: number): Promise<void> {
  await seedReadModel(prisma, target);
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
    const worker = startWorkerProcess(path.resolve(__dirname, '..', 'src', 'worker.ts'), {
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
    await prisma.$executeRawUnsafe(`CREATE TABLE ${ENGINE_TABLE} (id text PRIMARY KEY, at timestamptz NOT NULL)`);
    const engineTaskQueue = `bench-engine-${randomUUID().slice(0, 8)}`;
    const engineWorker = startWorkerProcess(path.resolve(__dirname, 'engine', 'worker.ts'), {
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: engineTaskQueue,
      CODEC_KEYS: codecKeys,
    });
    stops.unshift(engineWorker.stop);
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
    const call = (via: http.Agent): ApiCall => (user, method, p, body) => httpJson(via, `${base}${p}`, method, { Authorization: `Bearer ${tokens[user]}` }, body);
    const api = async (user: string, method: string, p: string, body?: unknown): Promise<unknown> => {
      const { status, json } = await call(agent)(user, method, p, body);
      if (status >= 400) throw new Error(`${method} ${p}: ${status} ${JSON.stringify(json)}`);
      return json;
    };
    const intakeActor = { userId: 'u-intake', role: 'intake_operator' as const };
    const op1 = { userId: 'u-op1', role: 'emergency_operator' as const };
    const rows: BenchRow[] = [];
    const baselines = await UpdateBaselines.start(client, engineTaskQueue);
    stops.unshift(() => baselines.stop());

    process.stderr.write('bench: warming up…\n');
    for (let i = 0; i < 3; i += 1) {
      const { caseId } = (await api('intake', 'POST', '/api/cases', report())) as { caseId: string };
      await waitForTask(prisma, caseId, 'take_charge');
    }

    const apiCases: string[] = [];
    const directCases: string[] = [];
    if (sections.has('create')) {
      process.stderr.write(`bench: create-case × ${ITERATIONS} (API and direct)…\n`);
      const createApi: number[] = [];
      const createDirect: number[] = [];
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
      rows.push(latencyRow('create-case: POST /api/cases', createApi, ratioTarget(p50Ratio(createApi, createDirect), 1.2, 'direct')));
      rows.push(latencyRow('create-case: direct (receiveReport)', createDirect));
    }

    if (sections.has('complete') || sections.has('engine')) {
      process.stderr.write(`bench: complete-task × ${ITERATIONS} (API, direct, engine baselines)…\n`);
      const completeApi: number[] = [];
      const completeDirect: number[] = [];
      const engine = { bare: [] as number[], activity: [] as number[], local: [] as number[] };
      const form = { etaMinutes: 10 };
      // Without 'complete' the loop runs the engine baselines alone, ITERATIONS times.
      for (const [i, apiCaseId] of (sections.has('complete') ? apiCases : Array.from({ length: ITERATIONS }, () => '')).entries()) {
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
        // The engine baselines interleave with the task path, so drift hits both alike.
        const baseline = (mode: keyof typeof engine) => () => time(engine[mode], () => baselines.update(mode)).then(() => undefined);
        const order = [
          ...(sections.has('complete') ? [viaApi, direct] : []),
          ...(sections.has('engine') ? [baseline('bare'), baseline('activity'), baseline('local')] : []),
        ];
        for (let k = 0; k < order.length; k += 1) await (order[(k + i) % order.length] as () => Promise<void>)();
      }
      if (sections.has('engine')) {
        rows.push(latencyRow('engine: bare update round trip', engine.bare));
        rows.push(latencyRow('engine: update + regular activity (PG write)', engine.activity, { value: `${p50Ratio(engine.activity, engine.bare).toFixed(2)}× bare` }));
        rows.push(latencyRow('engine: update + local activity (PG write)', engine.local, { value: `${p50Ratio(engine.local, engine.bare).toFixed(2)}× bare` }));
      }
      if (sections.has('complete')) {
        // Against the bare update when the engine section ran too, else the ratio to direct alone.
        if (sections.has('engine')) rows.push(latencyRow('complete-task: direct executeUpdate', completeDirect, ratioTarget(p50Ratio(completeDirect, engine.bare), 2, 'bare update')));
        else rows.push(latencyRow('complete-task: direct executeUpdate', completeDirect));
        rows.push(latencyRow('complete-task: POST /api/tasks/:id/complete', completeApi, ratioTarget(p50Ratio(completeApi, completeDirect), 1.1, 'direct')));
      }
    }

    let standard: HistoryFigures | undefined;
    if (sections.has('history')) {
      process.stderr.write('bench: history of the standard case and of a long case…\n');
      const standardCase = await driveStandardCase(call(agent));
      await client.workflow.getHandle(caseWorkflowId(standardCase)).result();
      standard = await historyFigures(client, caseWorkflowId(standardCase));
      const long = await driveLongCase({ client, prisma, taskQueue });
      const kb = (f: HistoryFigures) => `${(f.bytes / 1024).toFixed(1)} KB, ${f.events} events${f.runs > 1 ? `, ${f.runs} runs` : ''}`;
      rows.push({ metric: 'history: standard case (README walk-through)', n: 1, value: kb(standard), target: `≤ ${STANDARD_HISTORY_MAX_KB} KB`, met: standard.bytes <= STANDARD_HISTORY_MAX_KB * 1024 });
      rows.push({ metric: `history: long case (${LONG_CASE_RECHECKS} welfare re-checks)`, n: 1, value: kb(long) });
    }

    if (sections.has('throughput')) {
      process.stderr.write(`bench: throughput, ${THROUGHPUT_CASES} cases × ${CONCURRENCY} at a time (protocol, bare shape)…\n`);
      if (standard === undefined) throw new Error('throughput needs the history section');
      const shape = { updates: standard.updates, timers: standard.timers };
      const pool = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
      stops.unshift(() => Promise.resolve(pool.destroy()));
      const protocolRate = await throughput(THROUGHPUT_CASES, CONCURRENCY, async () => {
        const caseId = await driveStandardCase(call(pool));
        await client.workflow.getHandle(caseWorkflowId(caseId)).result();
      });
      const bareRate = await throughput(THROUGHPUT_CASES, CONCURRENCY, () => driveProtocolShape(client, engineTaskQueue, shape));
      const perMinute = (r: number) => `${r.toFixed(0)} cases/min`;
      rows.push({ metric: `throughput: bare workflow (${shape.updates} updates, ${shape.timers} timers)`, n: THROUGHPUT_CASES, value: perMinute(bareRate) });
      const throughputRatio = protocolRate / bareRate;
      rows.push({
        metric: 'throughput: full protocol via API, one worker',
        n: THROUGHPUT_CASES,
        value: `${perMinute(protocolRate)} (${throughputRatio.toFixed(2)}×)`,
        target: '≥ 0.5× bare workflow',
        met: throughputRatio >= 0.5,
      });
    }

    if (sections.has('reads')) {
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
          rows.push(latencyRow(metric, samples, { rows: target.toLocaleString('en') }));
        }
      }
    }

    if (sections.has('modules')) {
      const context: BenchContext = { iterations: ITERATIONS, prisma, api, time, log: (line) => process.stderr.write(`bench: ${line}\n`) };
      for (const module of BENCH_MODULES) rows.push(...(await module(context)));
    }

    console.log(formatTable(rows));
    console.log(`\nstuck: describes at most 200 running cases per request in Temporal; synthetic rows have no workflow behind them.`);
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => process.stderr.write(`bench: cleanup: ${String(err)}\n`));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A weekend of welfare re-checks: refusal, then 20 re-checks (their timer shortened to seconds), handover. */
async function driveLongCase(deps: { client: Client; prisma: PrismaClient; taskQueue: string }): Promise<HistoryFigures> {
  const c = await CaseDriver.open(deps, { reportedAt: recentSundayNight() }, { welfareRecheckMinutes: 0.02, maxWelfareRechecks: LONG_CASE_RECHECKS });
  await c.run('take_charge', OPERATOR, forms.takeCharge);
  await c.run('risk_check', OPERATOR, forms.riskCheck({ withoutShelter: true, freezingConditions: true }));
  await c.run('intervention', OPERATOR, forms.interventionRefused());
  for (let n = 1; n <= LONG_CASE_RECHECKS; n += 1) await c.run('welfare_recheck', OPERATOR, forms.welfareRecheck(n < LONG_CASE_RECHECKS));
  const at = await c.waitFor((v) => v.status === 'handover' || (v.status === 'awaiting_handover' && v.handover !== undefined), 'the handover');
  if (at.status === 'awaiting_handover') await c.handoverNow();
  await c.run('handover_ack', socialWorker(at.handover?.comuneCode ?? ''), forms.handoverAck);
  const view = await c.result();
  if (view.welfareRechecks !== LONG_CASE_RECHECKS) throw new Error(`the long case ran ${view.welfareRechecks} re-checks`);
  return historyFigures(deps.client, c.workflowId);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
