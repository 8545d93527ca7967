import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { type OrphanOutcome, ownChild, stopOrphan } from './processes';

/**
 * A real Temporal dev server (`temporal server start-dev`, SQLite persisted under `dataDir`), used
 * by `npm start` when TEMPORAL_ADDRESS is not set and by the integration tests. Every search
 * attribute of ALL_SEARCH_ATTRIBUTES is registered through `--search-attribute`; the CLI does that
 * again, idempotently, on every start with an existing database file.
 */
export interface TemporalDevServerOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  /** Web UI port; `undefined` starts the server headless. */
  uiPort?: number;
  /** Remote codec endpoint the Web UI calls from the browser to show decrypted payloads. */
  uiCodecEndpoint?: string;
  namespace: string;
  ip?: string;
  /** Server log level (`--log-level`): quiet by default. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'never';
  /** How long to wait for the server to accept requests; a cold start with a large db can take a while. */
  startTimeoutMs?: number;
  /** Extra `--dynamic-config-value KEY=VALUE` pairs (JSON values). */
  dynamicConfig?: Record<string, unknown>;
  onLog?: (line: string) => void;
}

export interface TemporalDevServerHandle {
  /** `host:port` of the frontend gRPC service. */
  address: string;
  uiUrl?: string;
  namespace: string;
  dbFile: string;
  pid: number;
  /** Settles when the server process exits, with how (`code 1`, `signal SIGKILL`). */
  exited: Promise<string>;
  /** SIGTERM, wait for exit, SIGKILL after `timeoutMs`; resolves once the process is gone. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Written next to the db file while the server runs; read by the next start to find an orphan. */
export const DEV_SERVER_PID_FILENAME = 'temporal-dev-server.pid';

export const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export const DEV_SERVER_DB_FILENAME = 'temporal.db';

export function devServerArgs(opts: TemporalDevServerOptions): string[] {
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.join(path.resolve(opts.dataDir), DEV_SERVER_DB_FILENAME),
    '--ip',
    opts.ip ?? '127.0.0.1',
    '--port',
    String(opts.port),
    '--log-level',
    opts.logLevel ?? 'error',
  ];
  if (opts.uiPort === undefined) args.push('--headless');
  else {
    // No news feed: the machine has no internet, and the UI should not try.
    args.push('--ui-port', String(opts.uiPort), '--ui-disable-news-fetch');
    if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  }
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  // "default" always exists; naming it again is harmless but noisy.
  if (opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  for (const key of ALL_SEARCH_ATTRIBUTES) {
    args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
  }
  return args;
}

export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServerHandle> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const ip = opts.ip ?? '127.0.0.1';
  const address = `${ip.includes(':') ? `[${ip}]` : ip}:${opts.port}`;
  const args = devServerArgs(opts);
  // Own session: Ctrl+C in a terminal reaches the app, which stops this server last.
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pidFile = path.join(path.resolve(opts.dataDir), DEV_SERVER_PID_FILENAME);
  if (child.pid !== undefined) fs.writeFileSync(pidFile, `${child.pid}\n`);
  const recent: string[] = [];
  const onLine = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    opts.onLog?.(line);
  };
  pipeLines(child, onLine);

  // SIGTERM to stop, SIGKILL if it hangs; if this process dies without calling stop(), the
  // server goes with it.
  const { exited, spawnError, stop } = ownChild(child, {
    stopSignal: 'SIGTERM',
    exitSignal: 'SIGKILL',
    defaultTimeoutMs: 10_000,
    onExit: () => fs.rmSync(pidFile, { force: true }),
  });

  try {
    await waitUntilReady({
      address,
      namespace: opts.namespace,
      timeoutMs: opts.startTimeoutMs ?? 60_000,
      failed: Promise.race([
        exited.then((how) => new Error(`temporal server start-dev exited early (${how})`)),
        spawnError,
      ]),
    });
  } catch (err) {
    await stop(2_000);
    const logTail = recent.length ? `\nLast server output:\n${recent.join('\n')}` : '';
    throw new Error(`Temporal dev server at ${address} did not become ready: ${(err as Error).message}${logTail}`, {
      cause: err,
    });
  }

  return {
    address,
    uiUrl: opts.uiPort === undefined ? undefined : `http://${ip.includes(':') ? `[${ip}]` : ip}:${opts.uiPort}`,
    namespace: opts.namespace,
    dbFile: args[args.indexOf('--db-filename') + 1]!,
    pid: child.pid!,
    exited,
    stop,
  };
}

/**
 * A dev server of this data directory still running from a previous run that was killed (its pid
 * in the pid file, `start-dev` with this db file on its command line): SIGTERM, wait, SIGKILL as
 * the last resort. Anything else holding the pid is left alone.
 */
export function stopOrphanedDevServer(dataDir: string): Promise<OrphanOutcome> {
  const dir = path.resolve(dataDir);
  return stopOrphan({
    pidFile: path.join(dir, DEV_SERVER_PID_FILENAME),
    mustContain: ['start-dev', path.join(dir, DEV_SERVER_DB_FILENAME)],
    signal: 'SIGTERM',
    timeoutMs: 15_000,
  });
}

/**
 * Ready means: gRPC answers, the namespace exists and every search attribute is registered, i.e.
 * a client can start a workflow right away. Polls until `timeoutMs` (the SDK's own helper allows
 * only 5 s, too little for a cold start on a busy CI machine).
 */
async function waitUntilReady(opts: {
  address: string;
  namespace: string;
  timeoutMs: number;
  failed: Promise<Error>;
}): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = 'no attempt made';
  let failure: Error | undefined;
  void opts.failed.then((e) => (failure = e));
  while (Date.now() < deadline) {
    if (failure) throw failure;
    // lazy + ensureConnected, so that a failed attempt still leaves a connection to close.
    const connection = Connection.lazy({ address: opts.address, connectTimeout: 2_000 });
    try {
      await connection.ensureConnected();
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: opts.namespace });
      const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !(k.name in customAttributes));
      if (missing.length === 0) return;
      lastError = `search attributes not registered yet: ${missing.map((k) => k.name).join(', ')}`;
    } catch (err) {
      lastError = (err as Error).message;
    } finally {
      await connection.close().catch(() => undefined);
    }
    await Promise.race([new Promise((r) => setTimeout(r, 250)), opts.failed]);
  }
  if (failure) throw failure;
  throw new Error(`timed out after ${opts.timeoutMs} ms (last error: ${lastError})`);
}

function pipeLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    });
    stream?.on('end', () => {
      if (buffered.trim()) onLine(buffered);
    });
  }
}
