import { type AppConfig, redactUrl } from '../config';
import { createDataConverter } from '../temporal/data-converter';
import { keyringFromConfig } from '../temporal/keyring';
import { caseWorkflowBundle } from '../temporal/worker';
import {
  type DatabaseTarget,
  type TemporalTarget,
  connectClient,
  migrateAndSeed,
  openPrisma,
  prepareDataDir,
  reclaimOrphans,
  startDatabase,
  startHttpApi,
  startProcessTracing,
  startTemporal,
  startWorker,
} from './components';
import type { BootContext, Running, StartupSummary } from './entry';
import { StartupError } from './errors';
import { seedDevelopmentUsers } from './operator-api';
import { assertPortsFree, type PortClaim } from './ports';
import { installTemporalRuntime } from './process-hooks';
import { freePort } from '../embedded/ports';

/**
 * `npm start`: the whole system in one process for a laptop or a demo. PostgreSQL and the
 * Temporal dev server are embedded (persisted under PIS_DATA_DIR) unless DATABASE_URL /
 * TEMPORAL_ADDRESS point elsewhere; migrations and reference data are applied; the worker and the
 * HTTP API run side by side.
 */
export async function startStack({ config, logger, stack }: BootContext): Promise<Running> {
  const embeddedPg = !config.database.url;
  const embeddedTemporal = !config.temporal.address;
  prepareDataDir(config.dataDir, { embeddedPostgres: embeddedPg });
  await reclaimOrphans(config, logger);
  await assertPortsFree(portClaims(config));
  // Worker and API in one process: the SDK's metrics on a local port, appended to the API's /metrics.
  config = { ...config, metrics: { ...config.metrics, workerBindAddress: config.metrics.workerBindAddress ?? `127.0.0.1:${await freePort('127.0.0.1')}` } };
  installTemporalRuntime(logger, { metricsBindAddress: config.metrics.workerBindAddress });
  const keyring = keyringFromConfig(config.codec, config.dataDir);
  const dataConverter = createDataConverter(keyring);

  // Webpack bundling of the workflow code takes seconds: overlap it with the servers' start.
  const bundling = caseWorkflowBundle();
  bundling.catch(() => undefined);

  const [database, temporal] = await bothOrFirstError(startDatabase(config, stack, logger), startTemporal(config, stack, logger));
  stack.throwIfStopping();
  await migrateAndSeed(database.url, logger);
  const prisma = openPrisma(database.url, stack);
  const demoUsers = database.embedded && config.env !== 'production' ? await seedDevelopmentUsers(prisma) : undefined;
  stack.throwIfStopping();

  const client = await connectClient(config, temporal.address, dataConverter, stack);
  await bundling;
  const worker = await startWorker({ config, address: temporal.address, prisma, dataConverter, stack, logger, client: client.client });
  stack.throwIfStopping();

  // The embedded Temporal UI calls the codec endpoint from the browser: allow its origin.
  const uiOrigins = temporal.embedded && temporal.uiUrl ? localOrigins(temporal.uiUrl) : [];
  const apiConfig: AppConfig = { ...config, codec: { ...config.codec, corsOrigins: [...config.codec.corsOrigins, ...uiOrigins] } };
  const http = await startHttpApi({ config: apiConfig, logger, database, prisma, temporal: client, temporalTarget: temporal, keyring, stack, workerInProcess: true });

  const failures = [workerFailure(worker.running, stack)];
  if (database.process) failures.push(database.process.failed);
  if (temporal.process) failures.push(temporal.process.failed);
  return {
    summary: stackSummary({ config, database, temporal, apiUrl: http.url, demoUsers, embeddedTemporal }),
    failed: Promise.race(failures),
  };
}

/** `src/worker.ts`: the case worker alone, against an external PostgreSQL and Temporal. */
export async function startWorkerOnly({ config, logger, stack }: BootContext): Promise<Running> {
  const { databaseUrl, temporalAddress } = requireExternalServices(config, 'worker');
  // A worker alone has no HTTP server: Prometheus scrapes the Runtime's exporter directly.
  installTemporalRuntime(logger, { metricsBindAddress: config.metrics.workerBindAddress });
  startProcessTracing(config, stack, logger);
  const dataConverter = createDataConverter(keyringFromConfig(config.codec, config.dataDir));
  const prisma = openPrisma(databaseUrl.url, stack);
  const worker = await startWorker({ config, address: temporalAddress, prisma, dataConverter, stack, logger });
  return {
    summary: {
      title: 'PIS case worker is running',
      rows: [
        ['Temporal', `${temporalAddress} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`],
        ['Database', databaseUrl.display],
        ...(config.temporal.deployment
          ? [['Deployment', `${config.temporal.deployment.name}:${config.temporal.deployment.buildId} (cases pinned to this build)`] as [string, string]]
          : []),
      ],
    },
    failed: workerFailure(worker.running, stack),
  };
}

/**
 * `src/server.ts`: the HTTP API alone, against an external PostgreSQL and Temporal. With
 * `migrate: true` it first applies pending migrations and inserts missing reference data.
 */
export async function startApiOnly({ config, logger, stack }: BootContext, opts: { migrate: boolean }): Promise<Running> {
  const { databaseUrl: database, temporalAddress } = requireExternalServices(config, 'API server');
  await assertPortsFree([{ host: config.api.host, port: config.api.port, setting: 'API_PORT', purpose: 'the HTTP API' }]);
  if (opts.migrate) await migrateAndSeed(database.url, logger);
  startProcessTracing(config, stack, logger);
  const keyring = keyringFromConfig(config.codec, config.dataDir);
  const prisma = openPrisma(database.url, stack);
  const client = await connectClient(config, temporalAddress, createDataConverter(keyring), stack);
  const http = await startHttpApi({ config, logger, database, prisma, temporal: client, keyring, stack });
  return {
    summary: {
      title: 'PIS API is running',
      rows: [
        ['API', `${http.url}  (readiness ${http.url}/ready)`],
        ['Temporal', `${temporalAddress} (namespace ${config.temporal.namespace})`],
        ['Database', database.display],
        ...(config.temporal.uiUrl ? [['Temporal UI', config.temporal.uiUrl] as [string, string]] : []),
      ],
    },
  };
}

/** `--migrate-only`: apply migrations and reference data, then exit (a deploy job). */
export async function migrateOnly({ config, logger }: BootContext): Promise<void> {
  const { databaseUrl } = requireExternalServices(config, 'migration job', { temporal: false });
  await migrateAndSeed(databaseUrl.url, logger);
}

function requireExternalServices(
  config: AppConfig,
  what: string,
  need: { temporal: boolean } = { temporal: true },
): { databaseUrl: DatabaseTarget; temporalAddress: string } {
  const missing: string[] = [];
  if (!config.database.url) missing.push('DATABASE_URL');
  if (need.temporal && !config.temporal.address) missing.push('TEMPORAL_ADDRESS');
  if (missing.length > 0) {
    throw new StartupError(
      `The ${what} starts no embedded services: set ${missing.join(' and ')}. ` +
        '(`npm start` runs everything locally with embedded PostgreSQL and Temporal.)',
    );
  }
  const url = config.database.url as string;
  return {
    databaseUrl: { url, display: redactUrl(url), embedded: false },
    temporalAddress: config.temporal.address ?? '',
  };
}

function portClaims(config: AppConfig): PortClaim[] {
  const claims: PortClaim[] = [{ host: config.api.host, port: config.api.port, setting: 'API_PORT', purpose: 'the HTTP API' }];
  if (!config.database.url) {
    claims.push({ host: '127.0.0.1', port: config.database.embeddedPort, setting: 'EMBEDDED_PG_PORT', purpose: 'the embedded PostgreSQL' });
  }
  if (!config.temporal.address) {
    claims.push(
      { host: '127.0.0.1', port: config.temporal.embeddedPort, setting: 'EMBEDDED_TEMPORAL_PORT', purpose: 'the embedded Temporal server' },
      { host: '127.0.0.1', port: config.temporal.embeddedUiPort, setting: 'EMBEDDED_TEMPORAL_UI_PORT', purpose: 'the Temporal UI' },
    );
  }
  return claims;
}

/** Starts both; if either fails, waits for the other (so it is registered for stopping) and throws. */
async function bothOrFirstError<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

/** The worker stopping while nobody asked for it is a failure of the process. */
function workerFailure(running: Promise<void>, stack: { stopping: boolean }): Promise<Error> {
  return new Promise((resolve) => {
    running.then(
      () => {
        if (!stack.stopping) resolve(new Error('the worker stopped unexpectedly'));
      },
      (err: unknown) => {
        if (!stack.stopping) resolve(new Error(`the worker failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      },
    );
  });
}

function localOrigins(uiUrl: string): string[] {
  const u = new URL(uiUrl);
  return [u.origin, `${u.protocol}//localhost:${u.port}`];
}

function stackSummary(s: {
  config: AppConfig;
  database: DatabaseTarget;
  temporal: TemporalTarget;
  apiUrl: string;
  demoUsers: string | undefined;
  embeddedTemporal: boolean;
}): StartupSummary {
  const { config, database, temporal, apiUrl } = s;
  const rows: Array<[string, string]> = [
    ['Web console', `${apiUrl}/`],
    ['API', `${apiUrl}/api  (readiness ${apiUrl}/ready, OpenAPI ${apiUrl}/api/openapi.json)`],
    ['Temporal UI', temporal.uiUrl ?? '(not configured: set TEMPORAL_UI_URL)'],
    ['Temporal', `${temporal.address} (${temporal.embedded ? 'embedded dev server' : 'external'}, namespace ${config.temporal.namespace})`],
    ['Database', `${database.display}${database.embedded ? ' (embedded PostgreSQL)' : ''}`],
    ['Data directory', config.dataDir],
  ];
  if (s.demoUsers) rows.push(['Demo users', s.demoUsers]);
  const notes: string[] = [];
  if (s.embeddedTemporal && temporal.uiUrl) {
    notes.push(`The Temporal UI decrypts payloads through ${apiUrl}/codec (from this machine only).`);
  }
  notes.push('Press Ctrl+C to stop.');
  return { title: 'PIS case management is running', rows, notes };
}
