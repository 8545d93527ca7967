import fs from 'node:fs';
import path from 'node:path';
import { resolveTemporalCli, resolveTestServer } from '../../src/embedded/binaries';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/embedded/postgres';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../../src/embedded/temporal';
import { TEST_STATE_FILE, type TestStackState } from './state';
import { freePort } from '../../src/embedded/ports';
import { isAlive } from '../../src/embedded/processes';

export interface TestStack {
  runDir: string;
  pg?: EmbeddedPostgresHandle;
  temporal?: TemporalDevServerHandle;
}

export const TEST_NAMESPACE = 'default';

const STACK_ROOT = path.resolve(__dirname, '../../.cache/test-stack');
const OWNER_FILE = 'owner.json';

interface RunOwner {
  ownerPid: number;
  temporalPid?: number;
}

/**
 * One real PostgreSQL cluster and one Temporal dev server for the whole test run. Suites get
 * their own databases and task queues from the helpers in test/helpers. Each run lives in its own
 * directory with free ports, so two runs in one work tree do not trip over each other; what a run
 * killed before its teardown left behind is cleaned up by the next one. Jest runs this and
 * global-teardown in the same process, so the handles travel through globalThis.
 */
export default async function globalSetup(): Promise<void> {
  cleanUpDeadRuns();
  const runDir = path.join(STACK_ROOT, `run-${process.pid}`);
  fs.mkdirSync(runDir, { recursive: true });
  writeOwner(runDir, { ownerPid: process.pid });

  const log = (line: string) => process.stderr.write(`[test-stack] ${line}\n`);
  const stack: TestStack = { runDir };
  (globalThis as Record<string, unknown>).__PIS_TEST_STACK__ = stack;
  installSignalCleanup(stack);

  let state: TestStackState;
  try {
    const [cliPath, testServerPath] = await Promise.all([
      resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, onLog: log }),
      resolveTestServer({ explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH, onLog: log }),
    ]);
    const pgPort = process.env.TEST_PG_PORT ? Number(process.env.TEST_PG_PORT) : await freePort();
    const temporalPort = await freePort();
    await Promise.all([
      startEmbeddedPostgres({ dataDir: runDir, port: pgPort }).then((pg) => (stack.pg = pg)),
      startTemporalDevServer({
        cliPath,
        dataDir: path.join(runDir, 'temporal'),
        port: temporalPort,
        namespace: TEST_NAMESPACE,
        startTimeoutMs: 120_000,
        onLog: (line) => log(`temporal: ${line}`),
      }).then((temporal) => {
        stack.temporal = temporal;
        writeOwner(runDir, { ownerPid: process.pid, temporalPid: temporal.pid });
      }),
    ]);
    state = {
      pgAdminUrl: stack.pg!.adminUrl,
      temporalAddress: stack.temporal!.address,
      temporalNamespace: TEST_NAMESPACE,
      temporalCliPath: cliPath,
      temporalTestServerPath: testServerPath,
    };
  } catch (err) {
    // Jest skips global teardown when setup throws: stop whatever did start.
    await stopStack(stack);
    throw err;
  }

  // Test workers are forked after this and inherit the environment.
  process.env.TEST_PG_ADMIN_URL = state.pgAdminUrl;
  process.env.TEST_TEMPORAL_ADDRESS = state.temporalAddress;
  process.env.TEST_TEMPORAL_NAMESPACE = state.temporalNamespace;
  process.env.TEST_TEMPORAL_CLI_PATH = state.temporalCliPath;
  process.env.TEST_TEMPORAL_TEST_SERVER_PATH = state.temporalTestServerPath;
  fs.writeFileSync(TEST_STATE_FILE, JSON.stringify(state));
}

/** Stops both servers (even if one fails to stop) and removes the run directory. */
export async function stopStack(stack: TestStack): Promise<void> {
  const results = await Promise.allSettled([stack.temporal?.stop(), stack.pg?.stop()]);
  stack.temporal = undefined;
  stack.pg = undefined;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  fs.rmSync(stack.runDir, { recursive: true, force: true });
}

/** Ctrl-C or a CI timeout on the Jest process: stop the servers before going down. */
function installSignalCleanup(stack: TestStack): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void stopStack(stack)
        .catch(() => undefined)
        .finally(() => process.kill(process.pid, signal));
    });
  }
}

function writeOwner(runDir: string, owner: RunOwner): void {
  fs.writeFileSync(path.join(runDir, OWNER_FILE), JSON.stringify(owner));
}

/**
 * Run directories whose Jest process is gone: kill the servers they recorded (only if the process
 * is still the one started for that directory) and delete them. Live runs are left alone.
 */
function cleanUpDeadRuns(): void {
  if (!fs.existsSync(STACK_ROOT)) return;
  for (const name of fs.readdirSync(STACK_ROOT)) {
    if (!name.startsWith('run-')) continue;
    const dir = path.join(STACK_ROOT, name);
    let owner: RunOwner | undefined;
    try {
      owner = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as RunOwner;
    } catch {
      owner = undefined;
    }
    if (owner && isAlive(owner.ownerPid)) continue;
    if (owner?.temporalPid) killIfCommandMentions(owner.temporalPid, dir);
    const pgPid = readPostmasterPid(path.join(dir, 'postgres'));
    if (pgPid) killIfCommandMentions(pgPid, dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function readPostmasterPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function killIfCommandMentions(pid: number, dir: string): void {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes(dir)) process.kill(pid, 'SIGKILL');
  } catch {
    // already gone, or not Linux
  }
}

