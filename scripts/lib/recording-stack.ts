import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../src/db/migrate';
import { resolveTemporalCli } from '../../src/embedded/binaries';
import { startEmbeddedPostgres } from '../../src/embedded/postgres';
import { startTemporalDevServer } from '../../src/embedded/temporal';
import { freePort } from '../../src/embedded/ports';

/**
 * A throw-away PostgreSQL and Temporal dev server for scripts that drive real cases (history
 * recording), or the addresses of running ones from TEMPORAL_ADDRESS / DATABASE_URL.
 */
export interface RecordingStack {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startRecordingStack(log: (line: string) => void): Promise<RecordingStack> {
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  if (process.env.TEMPORAL_ADDRESS && process.env.DATABASE_URL) {
    log(`using Temporal at ${process.env.TEMPORAL_ADDRESS} and the database in DATABASE_URL`);
    return { temporalAddress: process.env.TEMPORAL_ADDRESS, namespace, databaseUrl: process.env.DATABASE_URL, stop: () => Promise.resolve() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-record-'));
  // Started as root, PostgreSQL runs as the `postgres` user and must be able to enter the directory.
  fs.chmodSync(dir, 0o777);
  const cliPath = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, onLog: log });
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: pgPort });
  const temporal = await startTemporalDevServer({ cliPath, dataDir: path.join(dir, 'temporal'), port: temporalPort, namespace, startTimeoutMs: 120_000 }).catch(
    async (err: unknown) => {
      await pg.stop();
      throw err;
    },
  );
  await pg.createDatabase('pis');
  const databaseUrl = pg.urlFor('pis');
  await applyMigrations(databaseUrl);
  log(`dev server ${temporal.address}, PostgreSQL on port ${pgPort} (${dir})`);
  return {
    temporalAddress: temporal.address,
    namespace,
    databaseUrl,
    stop: async () => {
      await Promise.allSettled([temporal.stop(), pg.stop()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

