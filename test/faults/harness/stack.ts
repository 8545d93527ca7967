import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalCli } from '../../../src/embedded/binaries';
import { freePort } from '../../../src/embedded/ports';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../../src/embedded/postgres';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../../../src/embedded/temporal';
import { loadEmbeddedPostgresWithoutSignalHandlers } from '../../../src/runtime/process-hooks';
import { ManagedProcess, REPO_ROOT, childEnv, listProcesses, processesUsing, readPostmasterPid, signalQuietly, sleep } from './processes';

/**
 * The two shapes the suite runs:
 * - production: PostgreSQL and the Temporal dev server (started here, each one process to kill and
 *   start again on the same data and port), `src/worker.ts` and `src/server.ts --migrate` as
 *   separate supervised processes;
 * - app: `npm start` (its start script without the web build) in its own process group, with its
 *   embedded PostgreSQL and Temporal under one data directory.
 */

export interface Targets {
  apiUrl: string;
  databaseUrl: string;
  temporalAddress: string;
}

export interface RestartResult {
  /** Plain restarts that did not bring the component back: each needed a manual step. */
  manualSteps: number;
  notes: string[];
}

/** Secrets for this run only. */
export function runSecrets(): { codecKeys: string; authSecret: string } {
  return { codecKeys: `fault1:${randomBytes(32).toString('base64')}`, authSecret: randomBytes(36).toString('base64url') };
}

export function makeRunDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-faults-'));
  // Started as root, PostgreSQL runs as the `postgres` user and must be able to enter it.
  fs.chmodSync(dir, 0o777);
  return dir;
}

async function waitReady(apiUrl: string, timeoutMs: number, gone?: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone?.()) return false;
    try {
      const res = await fetch(`${apiUrl}/ready`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return true;
    } catch {
      // not up yet
    }
    await sleep(500);
  }
  return false;
}

export class ProductionStack {
  pg?: EmbeddedPostgresHandle;
  temporal?: TemporalDevServerHandle;
  worker!: ManagedProcess;
  api!: ManagedProcess;
  targets!: Targets;
  private cliPath = '';
  private pgPort = 0;
  private temporalPort = 0;

  constructor(
    readonly runDir: string,
    private readonly log: (line: string) => void,
  ) {}

  get clusterDir(): string {
    return path.join(this.runDir, 'pg', 'postgres');
  }

  async start(): Promise<void> {
    await loadEmbeddedPostgresWithoutSignalHandlers();
    this.cliPath = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, onLog: this.log });
    this.pgPort = await freePort();
    this.temporalPort = await freePort();
    const apiPort = await freePort();
    await Promise.all([this.startPostgres(), this.startTemporal()]);
    await this.pg!.createDatabase('pis');
    const { codecKeys, authSecret } = runSecrets();
    this.targets = { apiUrl: `http://127.0.0.1:${apiPort}`, databaseUrl: this.pg!.urlFor('pis'), temporalAddress: this.temporal!.address };
    const env = childEnv({
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PIS_DATA_DIR: path.join(this.runDir, 'app'),
      DATABASE_URL: this.targets.databaseUrl,
      TEMPORAL_ADDRESS: this.targets.temporalAddress,
      CODEC_KEYS: codecKeys,
      AUTH_TOKEN_SECRET: authSecret,
      API_PORT: String(apiPort),
    });
    const node = (file: string, ...args: string[]) => ({ command: process.execPath, args: ['--import', 'tsx', file, ...args], env });
    this.api = new ManagedProcess({ name: 'api', ...node('src/server.ts', '--migrate'), logFile: path.join(this.runDir, 'api.log') });
    this.worker = new ManagedProcess({ name: 'worker', ...node('src/worker.ts'), logFile: path.join(this.runDir, 'worker.log') });
    this.api.start({ supervise: true });
    // The API applies the migrations; the worker starts once the schema is there.
    if (!(await waitReady(this.targets.apiUrl, 120_000))) throw new Error(`the API did not become ready (see ${this.api.spec.logFile})`);
    this.worker.start({ supervise: true });
    await this.waitWorkerPolling();
  }

  codecKeys(): string {
    return String(this.api.spec.env.CODEC_KEYS);
  }

  /** The worker is up once its log says so, or once it has run for a while without exiting. */
  async waitWorkerPolling(timeoutMs = 90_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const offset = fs.existsSync(this.worker.spec.logFile) ? fs.statSync(this.worker.spec.logFile).size : 0;
    while (Date.now() < deadline) {
      const text = fs.readFileSync(this.worker.spec.logFile, 'utf8').slice(offset);
      if (/worker is running|is running/i.test(text) && this.worker.running) return true;
      await sleep(300);
    }
    return false;
  }

  private async startPostgres(): Promise<void> {
    this.pg = await startEmbeddedPostgres({ dataDir: path.join(this.runDir, 'pg'), port: this.pgPort });
  }

  private async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      cliPath: this.cliPath,
      dataDir: path.join(this.runDir, 'temporal'),
      port: this.temporalPort,
      namespace: 'default',
      startTimeoutMs: 120_000,
    });
  }

  async killPostgres(): Promise<void> {
    const pid = readPostmasterPid(this.clusterDir);
    if (pid === undefined) throw new Error('no postmaster to kill');
    signalQuietly(pid, 'SIGKILL');
    // Its backends notice the postmaster's death and exit.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && processesUsing(this.clusterDir).length > 0) await sleep(200);
  }

  async killTemporal(): Promise<void> {
    if (!this.temporal) throw new Error('no Temporal server to kill');
    signalQuietly(this.temporal.pid, 'SIGKILL');
    await this.temporal.stop(5_000); // resolves once the process is gone
  }

  /** The plain restart command, tried a few times (a supervisor's backoff); a failure is a manual step. */
  async restart(component: 'postgres' | 'temporal' | 'worker'): Promise<RestartResult> {
    const notes: string[] = [];
    if (component === 'worker') {
      this.worker.start({ supervise: true });
      const up = await this.waitWorkerPolling();
      return { manualSteps: up ? 0 : 1, notes: up ? [] : ['worker did not report running'] };
    }
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      try {
        if (component === 'postgres') await this.startPostgres();
        else await this.startTemporal();
        if (attempt > 1) notes.push(`${component} started at attempt ${attempt}`);
        return { manualSteps: 0, notes };
      } catch (err) {
        notes.push(`${component} restart attempt ${attempt}: ${(err as Error)?.message?.split('\n')[0] ?? String(err)}`);
        await sleep(2_000);
      }
    }
    return { manualSteps: 1, notes };
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.worker?.stop(), this.api?.stop()]);
    await Promise.allSettled([this.temporal?.stop(), this.pg?.stop()]);
  }
}

/** `npm start`'s script without the web build (`FAULT_APP_COMMAND` overrides it). */
export function appStartCommand(): string {
  if (process.env.FAULT_APP_COMMAND) return process.env.FAULT_APP_COMMAND;
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const parts = (pkg.scripts.start ?? '').split('&&').map((s) => s.trim()).filter((s) => s && !/build:web/.test(s));
  if (parts.length === 0) throw new Error('package.json has no start script');
  return parts.join(' && ');
}

export class AppStack {
  app!: ManagedProcess;
  targets!: Targets;
  readonly dataDir: string;
  command = '';

  constructor(
    readonly runDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.dataDir = path.join(runDir, 'app-data');
  }

  async prepare(): Promise<void> {
    const cliPath = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, onLog: this.log });
    const [apiPort, pgPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const { codecKeys, authSecret } = runSecrets();
    this.command = appStartCommand();
    this.app = new ManagedProcess({
      name: 'app',
      command: 'sh',
      args: ['-c', this.command],
      env: childEnv({
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        PIS_DATA_DIR: this.dataDir,
        API_PORT: String(apiPort),
        EMBEDDED_PG_PORT: String(pgPort),
        EMBEDDED_TEMPORAL_PORT: String(temporalPort),
        EMBEDDED_TEMPORAL_UI_PORT: String(uiPort),
        TEMPORAL_CLI_PATH: cliPath,
        CODEC_KEYS: codecKeys,
        AUTH_TOKEN_SECRET: authSecret,
      }),
      logFile: path.join(this.runDir, 'app.log'),
    });
    this.targets = { apiUrl: `http://127.0.0.1:${apiPort}`, databaseUrl: '', temporalAddress: `127.0.0.1:${temporalPort}` };
  }

  /** Starts the app and waits for /ready; false when it exits or does not get ready. */
  async startApp(timeoutMs = 150_000): Promise<boolean> {
    this.app.start();
    const ok = await waitReady(this.targets.apiUrl, timeoutMs, () => !this.app.running);
    // A start that fails is counted as a manual step by the caller, not as a crash of a running app.
    if (!ok && !this.app.running) this.app.unplannedExits -= 1;
    if (ok && !this.targets.databaseUrl) {
      const password = fs.readFileSync(path.join(this.dataDir, 'pg-password'), 'utf8').trim();
      const pgPort = this.app.spec.env.EMBEDDED_PG_PORT ?? '';
      this.targets.databaseUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/pis`;
    }
    return ok;
  }

  codecKeys(): string {
    return String(this.app.spec.env.CODEC_KEYS);
  }

  /** The process that runs src/main.ts: the deepest one in the app's group naming it. */
  appMainPid(): number | undefined {
    const leader = this.app.pid;
    if (leader === undefined) return undefined;
    const group = listProcesses().filter((p) => p.pgid === leader && /main\.(ts|js)/.test(p.cmdline));
    const pids = new Set(group.map((p) => p.pid));
    const deepest = group.find((p) => !group.some((q) => q.ppid === p.pid && pids.has(q.pid)));
    return deepest?.pid ?? leader;
  }

  /** Embedded servers of this data directory that outlived the app. */
  leftovers(): number[] {
    return processesUsing(this.dataDir).map((p) => p.pid);
  }

  /**
   * Starts the app again the way a person would (the same command). If that fails, the manual
   * step a person would take (kill the leftovers of this data directory) is done and counted.
   */
  async restartApp(): Promise<RestartResult> {
    const notes: string[] = [];
    if (await this.startApp()) return { manualSteps: 0, notes };
    notes.push(`plain restart failed: ${this.lastLogLines(4)}`);
    await this.app.stop(5_000);
    const left = this.leftovers();
    for (const pid of left) signalQuietly(pid, 'SIGKILL');
    notes.push(`manual step: killed ${left.length} leftover process(es) of the data directory`);
    await sleep(2_000);
    if (await this.startApp()) return { manualSteps: 1, notes };
    notes.push(`restart after cleanup failed: ${this.lastLogLines(4)}`);
    return { manualSteps: 2, notes };
  }

  lastLogLines(n: number): string {
    try {
      const lines = fs.readFileSync(this.app.spec.logFile, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('====='));
      return lines.slice(-n).join(' | ').slice(0, 400);
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (this.app?.running) {
      this.app.signalGroup('SIGINT');
      await this.app.waitExit(30_000);
    }
    await this.app?.stop(5_000);
    for (const pid of this.leftovers()) signalQuietly(pid, 'SIGKILL');
  }
}
