import { Router } from 'express';
import type { Logger } from 'pino';
import pg from 'pg';
import { loggableError, ProblemError, sendProblem } from './problem';

/**
 * `GET /health`: the process is alive (liveness; checks nothing else, so a slow database never
 * gets the process restarted). `GET /ready`: the dependencies answer (readiness). Failure
 * reasons are generic words; details go to the log without messages or connection strings.
 */

export interface HealthChecks {
  temporal(): Promise<void>;
  database(): Promise<void>;
  /** Names of migrations not yet applied; empty when the schema is current. */
  migrations(): Promise<string[]>;
  /**
   * Processes this app runs and watches (the embedded PostgreSQL and Temporal dev server), by
   * check name (e.g. `embeddedPostgres`): one that exited makes the app not ready, named.
   */
  processes?(): Record<string, ProcessStatus>;
}

export interface ProcessStatus {
  /** e.g. "the embedded PostgreSQL". */
  label: string;
  state: 'running' | 'restarting' | 'failed';
  /** How it last exited (`signal SIGKILL`, `code 1`), when it did. */
  lastExit?: string;
  /** When it last exited, ISO. */
  exitedAt?: string;
  restarts: number;
}

export type CheckName = Exclude<keyof HealthChecks, 'processes'> | (string & {});
export type CheckResult =
  | { status: 'ok' }
  | { status: 'failing'; reason: 'unavailable' | 'timeout' }
  | { status: 'failing'; reason: 'pending'; pending: string[] }
  | { status: 'failing'; reason: 'exited' | 'restart_failed'; process: string; lastExit?: string; exitedAt?: string; restarts: number };

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

export interface HealthRouterOptions {
  timeoutMs?: number;
  logger?: Logger;
}

export function createHealthRouter(health: HealthChecks, options: HealthRouterOptions = {}): Router {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (req, res) => {
    const logger = req.log ?? options.logger;
    // Taken before the checks run: a process that was down when the request came is reported.
    const processes = health.processes?.() ?? {};
    const [temporal, database, migrations] = await Promise.all([
      runCheck('temporal', () => health.temporal(), timeoutMs, logger),
      runCheck('database', () => health.database(), timeoutMs, logger),
      runCheck('migrations', () => health.migrations(), timeoutMs, logger),
    ]);
    const checks: Record<string, CheckResult> = { temporal, database, migrations };
    const down: string[] = [];
    for (const [name, p] of Object.entries(processes)) {
      if (p.state === 'running') {
        checks[name] = { status: 'ok' };
        continue;
      }
      checks[name] = {
        status: 'failing',
        reason: p.state === 'failed' ? 'restart_failed' : 'exited',
        process: p.label,
        ...(p.lastExit !== undefined && { lastExit: p.lastExit }),
        ...(p.exitedAt !== undefined && { exitedAt: p.exitedAt }),
        restarts: p.restarts,
      };
      down.push(`${p.label} exited (${p.lastExit ?? 'unknown'})${p.state === 'failed' ? ', cannot be restarted' : ', restarting'}`);
    }
    const failing = Object.keys(checks).filter((name) => checks[name]?.status !== 'ok');
    if (failing.length === 0) {
      res.json({ status: 'ready', checks });
      return;
    }
    sendProblem(
      res,
      new ProblemError(503, {
        title: 'Not Ready',
        detail: `Failing dependencies: ${failing.join(', ')}${down.length ? `. ${down.join('; ')}` : ''}`,
        extensions: { failing, checks },
      }),
    );
  });

  return router;
}

async function runCheck(
  name: CheckName,
  check: () => Promise<void | string[]>,
  timeoutMs: number,
  logger: Logger | undefined,
): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check(), timeout]);
    if (outcome === 'timeout') {
      logger?.warn({ check: name, timeoutMs }, 'readiness check timed out');
      return { status: 'failing', reason: 'timeout' };
    }
    if (Array.isArray(outcome) && outcome.length > 0) return { status: 'failing', reason: 'pending', pending: outcome };
    return { status: 'ok' };
  } catch (err) {
    logger?.warn({ check: name, err: loggableError(err) }, 'readiness check failed');
    return { status: 'failing', reason: 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

/** Minimal view of a Temporal `Connection` (from `@temporalio/client`), so tests can fake it. */
export interface TemporalConnectionLike {
  workflowService: {
    getSystemInfo(request: Record<string, never>): Promise<unknown>;
    describeNamespace(request: { namespace: string }): Promise<unknown>;
  };
  withAbortSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T>;
}

/**
 * Temporal answers: `DescribeNamespace` when a namespace is given (proves it exists too), else
 * `GetSystemInfo`. The call is cancelled when the readiness time box ends.
 */
export function temporalHealthCheck(
  connection: TemporalConnectionLike,
  options: { namespace?: string; timeoutMs?: number } = {},
): () => Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return async () => {
    const { namespace } = options;
    await connection.withAbortSignal(AbortSignal.timeout(timeoutMs), () =>
      namespace === undefined
        ? connection.workflowService.getSystemInfo({})
        : connection.workflowService.describeNamespace({ namespace }),
    );
  };
}

/**
 * PostgreSQL answers `SELECT 1`. With a pool, through the pool; with a URL, on a short-lived
 * connection (nothing stays open between probes).
 */
export function databaseHealthCheck(source: pg.Pool | string, options: { timeoutMs?: number } = {}): () => Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  if (typeof source !== 'string') {
    return async () => {
      await source.query({ text: 'SELECT 1', query_timeout: timeoutMs } as pg.QueryConfig);
    };
  }
  return async () => {
    const client = new pg.Client({ connectionString: source, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}
