import fs from 'node:fs';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { outboxOnlyNotifier } from '../activities/notifier';
import { createApp } from '../api/app';
import { createServiceMetrics } from '../api/metrics';
import { startTracing, type Tracing } from '../telemetry/tracing';
import { startReconciler } from '../cases/reconciler';
import { startMilestoneSweeper } from '../milestones/sweeper';
import { createAuth } from '../api/routes';
import { databaseHealthCheck, temporalHealthCheck } from '../api/health';
import { type AppConfig, redactUrl } from '../config';
import { applyMigrations, pendingMigrations } from '../db/migrate';
import { createPrismaClient } from '../db/prisma';
import { seedReferenceData } from '../db/seed';
import { resolveTemporalCli } from '../embedded/binaries';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres, stopOrphanedPostgres } from '../embedded/postgres';
import { freePort } from '../embedded/ports';
import { startTemporalDevServer, stopOrphanedDevServer, type TemporalDevServerHandle } from '../embedded/temporal';
import { startReadOnlyUiProxy } from '../embedded/ui-proxy';
import type { PrismaClient } from '../generated/prisma/client';
import { connectNativeConnection, connectTemporal } from '../temporal/client';
import type { Keyring } from '../temporal/keyring';
import { createCaseWorker } from '../temporal/worker';
import { StartupError } from './errors';
import { listen, type HttpServerHandle } from './http';
import { mountOperatorApi } from './operator-api';
import { loadEmbeddedPostgresWithoutSignalHandlers } from './process-hooks';
import type { ShutdownStack } from './shutdown';
import { SupervisedChild } from './supervised';

/**
 * The pieces the entry points are made of. Each `start…` registers how to stop what it started on
 * the shutdown stack, right after starting it, so a failure later in the boot still stops it.
 */

export const EMBEDDED_DATABASE_NAME = 'pis';

export interface DatabaseTarget {
  url: string;
  /** For logs and the summary: password replaced by `***`. */
  display: string;
  embedded: boolean;
  /** The embedded server, watched and restarted when it exits. */
  process?: SupervisedChild<EmbeddedPostgresHandle>;
}

export interface TemporalTarget {
  address: string;
  uiUrl?: string;
  embedded: boolean;
  process?: SupervisedChild<TemporalDevServerHandle>;
}

/**
 * Before the port check: the embedded PostgreSQL and Temporal dev server of THIS data directory
 * still running from a run that was killed (SIGKILL, OOM) are stopped, so the next start needs
 * no manual step. Only a process whose pid file is in the data directory and whose command line
 * names this data directory is touched.
 */
export async function reclaimOrphans(config: AppConfig, logger: Logger): Promise<void> {
  const jobs: Array<[string, Promise<import('../embedded/processes').OrphanOutcome>]> = [];
  if (!config.database.url) jobs.push(['the embedded PostgreSQL', stopOrphanedPostgres(config.dataDir)]);
  if (!config.temporal.address) jobs.push(['the embedded Temporal dev server', stopOrphanedDevServer(config.dataDir)]);
  for (const [label, job] of jobs) {
    const outcome = await job;
    if (outcome.kind === 'stopped') {
      logger.warn({ pid: outcome.pid, forced: outcome.forced }, `stopped ${label} left running by a previous run of this data directory (pid ${outcome.pid})`);
    } else if (outcome.kind === 'not_ours') {
      logger.debug({ pid: outcome.pid }, `the pid file of ${label} names a process that is not it; left alone`);
    }
  }
}

/**
 * Creates the data directory. When running as root, the embedded PostgreSQL runs as the
 * `postgres` user, which must be able to reach `<dataDir>/postgres`: check that early and say so.
 */
export function prepareDataDir(dataDir: string, opts: { embeddedPostgres: boolean }): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StartupError(`Cannot create the data directory ${dataDir} (PIS_DATA_DIR): ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!opts.embeddedPostgres || !isRoot) return;
  // Traverse-only for others: the postgres user may pass through, not list the secrets next to it.
  fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o001);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) {
      throw new StartupError(
        `The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${dir}. ` +
          `Choose a PIS_DATA_DIR outside it, or allow traversal with \`chmod o+x ${dir}\`.`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

export async function startDatabase(config: AppConfig, stack: ShutdownStack, logger: Logger): Promise<DatabaseTarget> {
  if (config.database.url) {
    return { url: config.database.url, display: redactUrl(config.database.url), embedded: false };
  }
  await loadEmbeddedPostgresWithoutSignalHandlers();
  const log = logger.child({ component: 'postgres' });
  const recent: string[] = [];
  const start = async () => {
    try {
      return await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.database.embeddedPort,
        onLog: (line) => {
          recent.push(line);
          if (recent.length > 15) recent.shift();
          log.debug(line);
        },
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : 'the server exited during start';
      const tail = recent.length ? `\nLast PostgreSQL output:\n${recent.join('\n')}` : '';
      throw new StartupError(`The embedded PostgreSQL did not start on port ${config.database.embeddedPort}: ${reason}${tail}`, { cause: err });
    }
  };
  const pg = new SupervisedChild({ label: 'the embedded PostgreSQL', logger: log, restart: start }, await start());
  stack.defer('embedded PostgreSQL', () => pg.stop());
  await pg.handle.createDatabase(EMBEDDED_DATABASE_NAME);
  const url = pg.handle.urlFor(EMBEDDED_DATABASE_NAME);
  return { url, display: redactUrl(url), embedded: true, process: pg };
}

export async function startTemporal(config: AppConfig, stack: ShutdownStack, logger: Logger): Promise<TemporalTarget> {
  if (config.temporal.address) {
    return { address: config.temporal.address, uiUrl: config.temporal.uiUrl, embedded: false };
  }
  const log = logger.child({ component: 'temporal-dev-server' });
  const cliPath = await resolveTemporalCli({ explicitPath: config.temporal.cliPath, onLog: (line) => log.info(line) });
  // The dev server's own UI listens on an internal port; users get it read-only through the proxy.
  const internalUiPort = await freePort('127.0.0.1');
  const start = () =>
    startTemporalDevServer({
      cliPath,
      dataDir: config.dataDir,
      port: config.temporal.embeddedPort,
      uiPort: internalUiPort,
      uiCodecEndpoint: `http://${config.api.host}:${config.api.port}/codec`,
      namespace: config.temporal.namespace,
      dynamicConfig: EMBEDDED_TEMPORAL_DYNAMIC_CONFIG,
      // The server prints a banner on stdout; only its error lines matter.
      onLog: (line) => (/\b(error|fatal|panic)\b/i.test(line) ? log.warn(line) : log.debug(line)),
    });
  const server = new SupervisedChild({ label: 'the embedded Temporal dev server', logger: log, restart: start }, await start());
  stack.defer('embedded Temporal dev server', () => server.stop());
  const ui = await startReadOnlyUiProxy({ host: '127.0.0.1', port: config.temporal.embeddedUiPort, target: { host: '127.0.0.1', port: internalUiPort } }).catch(
    (err: unknown) => {
      throw new StartupError(`The Temporal UI cannot listen on port ${config.temporal.embeddedUiPort} (EMBEDDED_TEMPORAL_UI_PORT): ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    },
  );
  stack.defer('Temporal UI (read-only proxy)', () => ui.close());
  return { address: server.handle.address, uiUrl: ui.url, embedded: true, process: server };
}

/**
 * Idle pollers come back every 20 s instead of every minute, so a worker that is gone shows as
 * such in supervision within a minute (SupervisionSettings.pollerStaleSeconds). The same value is
 * in deploy/temporal/dynamicconfig/production.yaml.
 */
export const EMBEDDED_TEMPORAL_DYNAMIC_CONFIG: Record<string, unknown> = { 'matching.longPollExpirationInterval': '20s' };

/**
 * Applies committed migrations when some are pending (a warm start with nothing pending costs one
 * query instead of a Prisma CLI run), then inserts missing reference data.
 */
export async function migrateAndSeed(url: string, logger: Logger): Promise<void> {
  const pending = await pendingMigrations(url);
  if (pending.length > 0) {
    logger.info({ pending }, 'applying database migrations');
    await applyMigrations(url);
    // The Prisma wrapper exits 0 without doing anything when started through a symlink: check.
    const still = await pendingMigrations(url);
    if (still.length > 0) {
      throw new StartupError(`prisma migrate deploy finished but these migrations are still pending: ${still.join(', ')}`);
    }
  }
  const prisma = createPrismaClient(url);
  try {
    const { inserted } = await seedReferenceData(prisma);
    if (inserted > 0) logger.info({ inserted }, 'reference data inserted');
  } finally {
    await prisma.$disconnect();
  }
}

export function openPrisma(url: string, stack: ShutdownStack): PrismaClient {
  const prisma = createPrismaClient(url);
  stack.defer('Prisma client', () => prisma.$disconnect());
  return prisma;
}

let processTracing: { tracing: Tracing | undefined } | undefined;

/**
 * Tracing of this process (OTEL_EXPORTER_OTLP_ENDPOINT), started once, before the first Temporal
 * connection; `undefined` when off. Flushed and stopped last on shutdown.
 */
export function startProcessTracing(config: AppConfig, stack: ShutdownStack, logger: Logger): Tracing | undefined {
  if (processTracing === undefined) {
    const tracing = startTracing(config);
    processTracing = { tracing };
    if (tracing !== undefined) {
      logger.info({ endpoint: redactUrl(config.tracing.otlpEndpoint ?? '') }, 'tracing on: spans exported over OTLP/HTTP');
      stack.defer('tracing (flush)', () => tracing.shutdown());
    }
  }
  return processTracing.tracing;
}

export async function connectClient(
  config: AppConfig,
  address: string,
  dataConverter: DataConverter,
  stack: ShutdownStack,
): Promise<{ client: Client; connection: Connection }> {
  const interceptors = processTracing?.tracing?.clientInterceptors;
  const handle = await connectTemporal(config.temporal, { address, dataConverter, interceptors }).catch((err: unknown) => {
    throw new StartupError(`Cannot connect to Temporal at ${address} (TEMPORAL_ADDRESS): ${(err as Error).message}`, { cause: err });
  });
  stack.defer('Temporal client connection', () => handle.connection.close());
  return handle;
}

export interface WorkerHandle {
  /** Settles when the worker stops: after `shutdown()` (drained) or on a fatal worker error. */
  running: Promise<void>;
}

export async function startWorker(opts: {
  config: AppConfig;
  address: string;
  prisma: PrismaClient;
  dataConverter: DataConverter;
  stack: ShutdownStack;
  logger: Logger;
  /** The process's client, if it has one; otherwise the worker connects its own (for the reconciler). */
  client?: Client;
}): Promise<WorkerHandle> {
  const { config, stack } = opts;
  const connection: NativeConnection = await connectNativeConnection(config.temporal, { address: opts.address }).catch((err: unknown) => {
    throw new StartupError(`Cannot connect the worker to Temporal at ${opts.address}: ${(err as Error).message}`, { cause: err });
  });
  stack.defer('worker connection', () => connection.close());
  const worker: Worker = await createCaseWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: createActivities({ prisma: opts.prisma, notifier: outboxOnlyNotifier }),
    dataConverter: opts.dataConverter,
    deployment: config.temporal.deployment,
    tracing: processTracing?.tracing?.worker,
  });
  const running = worker.run();
  // The rejection is handled by whoever awaits `running`; this only keeps it from being "unhandled".
  running.catch(() => undefined);
  stack.defer('worker (draining running tasks)', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
  });
  // Cases whose workflow start is pending, and actions answered 202: at start, then periodically.
  const client = opts.client ?? (await connectClient(config, opts.address, opts.dataConverter, stack)).client;
  const stopReconciler = startReconciler(
    { prisma: opts.prisma, client, taskQueue: config.temporal.taskQueue, logger: opts.logger.child({ component: 'reconciler' }) },
    config.reconcileIntervalSeconds,
  );
  stack.defer('reconciler', stopReconciler);
  // Legal deadlines: overdue ones marked missed, reminders at the Ambito's lead times.
  const stopSweeper = startMilestoneSweeper({ prisma: opts.prisma, logger: opts.logger.child({ component: 'milestone-sweeper' }) }, config.reconcileIntervalSeconds);
  stack.defer('milestone sweeper', stopSweeper);
  return { running };
}

export async function startHttpApi(opts: {
  config: AppConfig;
  logger: Logger;
  database: DatabaseTarget;
  prisma: PrismaClient;
  temporal: { client: Client; connection: Connection };
  /** The embedded Temporal dev server, when there is one, for `/ready`. */
  temporalTarget?: TemporalTarget;
  keyring: Keyring;
  stack: ShutdownStack;
  /** The worker runs in this process: its Temporal metrics are part of `/metrics`. */
  workerInProcess?: boolean;
}): Promise<HttpServerHandle> {
  const { config, logger, temporal } = opts;
  // One token service for the operator API and the codec endpoint's gate.
  const auth = createAuth(config, opts.prisma);
  const app = createApp({
    config,
    logger,
    health: {
      temporal: temporalHealthCheck(temporal.connection, { namespace: config.temporal.namespace }),
      database: databaseHealthCheck(opts.database.url),
      migrations: () => pendingMigrations(opts.database.url),
      processes: () => ({
        ...(opts.database.process && { embeddedPostgres: opts.database.process.status() }),
        ...(opts.temporalTarget?.process && { embeddedTemporal: opts.temporalTarget.process.status() }),
      }),
    },
    codec: { keyring: opts.keyring, verifier: auth },
    tracing: processTracing?.tracing?.requestMiddleware,
    metrics: createServiceMetrics({
      prisma: opts.prisma,
      token: config.metrics.token,
      // Only when the worker runs in this process (`npm start`); the API alone has none to show.
      workerMetricsAddress: opts.workerInProcess ? config.metrics.workerBindAddress : undefined,
    }),
    mount: (express) =>
      mountOperatorApi(express, {
        prisma: opts.prisma,
        temporal: { ...temporal, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue },
        logger,
        config,
        auth,
      }),
  });
  const server = await listen(app, config.api.host, config.api.port);
  opts.stack.defer('HTTP server', () => server.close());
  return server;
}
