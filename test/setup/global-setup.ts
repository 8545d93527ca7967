import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/embedded/postgres';
import { TEST_STATE_FILE, type TestStackState } from './state';

/**
 * One real PostgreSQL cluster (and one Temporal dev server) for the whole test run. Suites get
 * their own databases and task queues from the helpers in test/helpers.
 */
export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const dataDir = path.join(root, '.cache', 'test-stack');
  fs.rmSync(dataDir, { recursive: true, force: true });
  const pgPort = Number(process.env.TEST_PG_PORT ?? 55433);
  const pg = await startEmbeddedPostgres({ dataDir, port: pgPort });
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  const state: TestStackState = { pgAdminUrl: pg.adminUrl };
  fs.writeFileSync(TEST_STATE_FILE, JSON.stringify(state));
  (globalThis as Record<string, unknown>).__PIS_TEST_STACK__ = { pg };
}
