import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/embedded/postgres';
import { freePort } from '../../src/embedded/ports';
import { commandLine, isAlive, readPidFile } from '../../src/embedded/processes';

/**
 * The embedded stack under faults, as real processes: the app SIGKILLed (its PostgreSQL and
 * Temporal dev server orphaned), those children killed under a running app, and Ctrl+C to the
 * whole process group of `npm start` while requests are in flight.
 */

const ROOT = path.resolve(__dirname, '../..');
const BOOT_TIMEOUT_MS = 150_000;
const LAINATE = '015116';

jest.setTimeout(5 * 60_000);

interface Ports {
  api: number;
  pg: number;
  temporal: number;
  ui: number;
}

interface AppProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnApp(dataDir: string, ports: Ports, how: 'node' | 'npm' = 'node'): AppProcess {
  const [cmd, args] = how === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, ['--import', 'tsx', 'src/main.ts']];
  const child = spawn(cmd, args, {
    cwd: ROOT,
    // Its own process group, as a terminal gives `npm start`: Ctrl+C is SIGINT to all of it.
    detached: true,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PIS_DATA_DIR: dataDir,
      API_PORT: String(ports.api),
      EMBEDDED_PG_PORT: String(ports.pg),
      EMBEDDED_TEMPORAL_PORT: String(ports.temporal),
      EMBEDDED_TEMPORAL_UI_PORT: String(ports.ui),
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      CODEC_KEYS: '',
      AUTH_TOKEN_SECRET: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, proc?: AppProcess, timeoutMs = BOOT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc?.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the app exited (${exitCode}) before ${what}:\n${proc?.output().slice(-4000)}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms\n${proc?.output().slice(-4000) ?? ''}`);
}

async function readyStatus(apiUrl: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${apiUrl}/ready`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const waitReady = (apiUrl: string, proc: AppProcess) =>
  until('/ready answers 200', async () => ((await readyStatus(apiUrl)).status === 200 ? true : undefined), proc);

async function login(apiUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

function report(n: string) {
  return {
    reportingForce: 'carabinieri',
    officerName: 'Brig. Rossi',
    callbackNumber: '+39 02 1234567',
    reportNumber: `R-faults-${n}`,
    reportedAt: new Date().toISOString(),
    eventComuneCode: LAINATE,
    eventAddress: 'Via Roma 1',
    categories: ['homeless'],
    people: [{ role: 'subject', firstName: 'Mario', isMinor: false }],
    immediateDangers: ['cold_exposure'],
    narrative: 'Uomo senza dimora in stazione.',
  };
}

async function createCase(apiUrl: string, token: string, n: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(report(n)),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { caseId: string }).caseId;
}

async function caseExists(dataDir: string, port: number, caseId: string): Promise<boolean> {
  const password = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  const client = new pg.Client({ connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/pis` });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM "Case" WHERE id = $1', [caseId])).rowCount === 1;
  } finally {
    await client.end();
  }
}

const pgPid = (dataDir: string) => readPidFile(path.join(dataDir, 'postgres', 'postmaster.pid'));
const temporalPid = (dataDir: string) => readPidFile(path.join(dataDir, 'temporal-dev-server.pid'));

/** SIGTERM to the app's node process and a bounded wait; exit code. */
async function stop(proc: AppProcess): Promise<number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.child.exitCode;
  process.kill(proc.child.pid as number, 'SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 60_000);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}

const linuxOnly = process.platform === 'linux' ? describe : describe.skip;

linuxOnly('embedded stack under faults', () => {
  let tmp: string;
  const started: AppProcess[] = [];
  /** Children (postgres, temporal) seen, ended by pid if a test left them behind. */
  const childPids = new Set<number>();

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-faults-'));
    // As root the embedded PostgreSQL runs as the postgres user, which must traverse the path.
    fs.chmodSync(tmp, 0o711);
  });

  afterAll(async () => {
    for (const proc of started) await stop(proc).catch(() => undefined);
    for (const pid of childPids) {
      if (isAlive(pid) && (commandLine(pid) ?? []).some((a) => a.includes(tmp))) process.kill(pid, 'SIGKILL');
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const newPorts = async (): Promise<Ports> => ({ api: await freePort(), pg: await freePort(), temporal: await freePort(), ui: await freePort() });

  it('starts again after a SIGKILL of the app with no manual step, stopping its orphans, and keeps the data', async () => {
    const dataDir = path.join(tmp, 'sigkill');
    const ports = await newPorts();
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const first = spawnApp(dataDir, ports);
    started.push(first);
    await waitReady(apiUrl, first);
    const caseId = await createCase(apiUrl, await login(apiUrl, 'intake', 'demo-intake-pis'), `kill-${Date.now()}`);

    const orphans = [pgPid(dataDir), temporalPid(dataDir)];
    for (const pid of orphans) expect(pid).toBeDefined();
    for (const pid of orphans) childPids.add(pid as number);
    process.kill(first.child.pid as number, 'SIGKILL');
    await first.exited;
    // The children survive the app: that is what the next start must deal with.
    expect(orphans.map((pid) => isAlive(pid as number))).toEqual([true, true]);

    const second = spawnApp(dataDir, ports);
    started.push(second);
    await waitReady(apiUrl, second);
    expect(orphans.map((pid) => isAlive(pid as number))).toEqual([false, false]);
    expect(second.output()).toMatch(/stopped the embedded PostgreSQL left running by a previous run/);
    expect(second.output()).toMatch(/stopped the embedded Temporal dev server left running by a previous run/);
    expect(await caseExists(dataDir, ports.pg, caseId)).toBe(true);
    const read = await fetch(`${apiUrl}/api/cases/${caseId}`, { headers: { authorization: `Bearer ${await login(apiUrl, 'intake', 'demo-intake-pis')}` } });
    expect(read.status).toBe(200);
    expect(await stop(second)).toBe(0);
  });

  it('notices its PostgreSQL and Temporal dev server exiting: logs it, /ready 503 naming it, restarts it', async () => {
    const dataDir = path.join(tmp, 'children');
    const ports = await newPorts();
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const app = spawnApp(dataDir, ports);
    started.push(app);
    await waitReady(apiUrl, app);
    const token = await login(apiUrl, 'intake', 'demo-intake-pis');

    for (const [check, label, pidOf] of [
      ['embeddedPostgres', 'the embedded PostgreSQL', pgPid],
      ['embeddedTemporal', 'the embedded Temporal dev server', temporalPid],
    ] as const) {
      const pid = pidOf(dataDir) as number;
      expect(pid).toBeDefined();
      childPids.add(pid);
      process.kill(pid, 'SIGKILL');
      const logLine = new RegExp(`${label} exited unexpectedly \\(signal SIGKILL\\)`);
      await until(`the log names ${label}`, () => Promise.resolve(logLine.test(app.output()) ? true : undefined), app, 30_000);
      // /ready answers 503 naming it, or it is already back (then its restart count says so).
      const seen = await until(`/ready reports ${check}`, async () => {
        const r = await readyStatus(apiUrl);
        const c = (r.body.checks as Record<string, { status: string; restarts?: number }> | undefined)?.[check];
        if (r.status === 503 && (r.body.failing as string[]).includes(check)) return { down: r };
        return r.status === 200 && c?.status === 'ok' && new RegExp(`${label} restarted`).test(app.output()) ? { back: r } : undefined;
      }, app, 60_000);
      if ('down' in seen && seen.down) {
        expect(seen.down.body.detail).toContain(label);
        expect((seen.down.body.checks as Record<string, unknown>)[check]).toMatchObject({ status: 'failing', reason: 'exited', lastExit: 'signal SIGKILL' });
      }
      await waitReady(apiUrl, app);
      expect(pidOf(dataDir)).not.toBe(pid);
      childPids.add(pidOf(dataDir) as number);
      // Working again: a new case is stored and its workflow started.
      await createCase(apiUrl, token, `${check}-${Date.now()}`);
    }
    expect(await stop(app)).toBe(0);
  });

  it('Ctrl+C to the process group of `npm start` under load: every request answered, exit 0, nothing left running', async () => {
    const dataDir = path.join(tmp, 'ctrl-c');
    const ports = await newPorts();
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const app = spawnApp(dataDir, ports, 'npm');
    started.push(app);
    await waitReady(apiUrl, app);
    const token = await login(apiUrl, 'intake', 'demo-intake-pis');
    const children = [pgPid(dataDir) as number, temporalPid(dataDir) as number];
    for (const pid of children) childPids.add(pid);

    // Fresh connection per request: a request is either refused at connect (server closed) or answered.
    const outcomes: Array<{ n: string; outcome: string }> = [];
    const post = (n: string) =>
      new Promise<string>((resolve) => {
        const req = http.request(
          `${apiUrl}/api/cases`,
          { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, connection: 'close' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(`http ${res.statusCode}`));
            res.on('error', () => resolve('reset after headers'));
          },
        );
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : `error ${err.code ?? err.message}`));
        req.end(JSON.stringify(report(n)));
      });
    let stopLoad = false;
    const worker = async (w: number) => {
      for (let i = 0; !stopLoad; i++) {
        const n = `load-${w}-${i}-${Date.now()}`;
        const outcome = await post(n);
        outcomes.push({ n, outcome });
        if (outcome === 'refused') return;
      }
    };
    const load = Promise.all([0, 1, 2, 3, 4, 5].map(worker));
    await until('load running', () => Promise.resolve(outcomes.filter((o) => o.outcome.startsWith('http')).length >= 12 ? true : undefined), app, 60_000);

    process.kill(-(app.child.pid as number), 'SIGINT');
    const code = await app.exited;
    stopLoad = true;
    await load;

    expect(code).toBe(0);
    const answered = outcomes.filter((o) => o.outcome.startsWith('http'));
    expect(answered.length).toBeGreaterThanOrEqual(12);
    // Answers are real answers: created, or a clear refusal while stopping.
    expect(answered.filter((o) => !/^http (201|200|503)$/.test(o.outcome))).toEqual([]);
    // No answer cut once started; a connection the kernel accepted but the app never read (the
    // instant the listener closes) is reset: that request must have had no effect.
    const unanswered = outcomes.filter((o) => !o.outcome.startsWith('http') && o.outcome !== 'refused');
    expect(unanswered.filter((o) => !/^error (ECONNRESET|EPIPE)$/.test(o.outcome))).toEqual([]);
    expect(unanswered.length).toBeLessThanOrEqual(6);

    // What PostgreSQL holds: every 201 is there, no unanswered request left anything.
    const db = await startEmbeddedPostgres({ dataDir, port: ports.pg });
    try {
      const client = new pg.Client({ connectionString: db.urlFor('pis') });
      await client.connect();
      const { rows } = await client.query<{ n: string }>('SELECT "reportNumber" AS n FROM "Case" WHERE "reportNumber" LIKE $1', ['R-faults-load-%']);
      await client.end();
      const stored = new Set(rows.map((r) => r.n.slice('R-faults-'.length)));
      expect(answered.filter((o) => o.outcome === 'http 201' && !stored.has(o.n))).toEqual([]);
      expect(unanswered.filter((o) => stored.has(o.n))).toEqual([]);
    } finally {
      await db.stop();
    }
    expect(children.filter((pid) => isAlive(pid))).toEqual([]);
    expect(app.output()).not.toMatch(/SIGKILL/);
  });
});
