import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { caseWorkflowId } from '../../src/workflows/definitions';
import { freePort } from '../../src/embedded/ports';
import { isAlive } from '../../src/embedded/processes';

/**
 * `npm start` as a user runs it: real processes, no mocks. The stack boots on free ports with a
 * fresh data directory, serves a case end to end, stops on SIGTERM without leaving PostgreSQL or
 * Temporal behind, and comes back with the same data.
 */

const ROOT = path.resolve(__dirname, '../..');
const BOOT_TIMEOUT_MS = 150_000;
const LAINATE = '015116';

jest.setTimeout(6 * 60_000);

interface Ports {
  api: number;
  pg: number;
  temporal: number;
  ui: number;
}

interface StackProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnStack(dataDir: string, ports: Ports, env: Record<string, string> = {}): StackProcess {
  // As `npm start` runs it: plain node with the tsx loader (no tsx CLI relaying signals).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
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
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHttp(url: string, proc: StackProcess, timeoutMs = BOOT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => (exitCode = code));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`npm start exited (${exitCode}) before ${url} answered:\n${proc.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last}):\n${proc.output()}`);
}

/** Every process below `pid` (Linux /proc), with its command line. */
function descendants(pid: number): Array<{ pid: number; cmd: string }> {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: Array<{ pid: number; cmd: string }> = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    let cmd: string;
    try {
      cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    out.push({ pid: p, cmd });
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}


/** SIGTERM to the Node process that runs src/main.ts, as a supervisor would deliver it. */
async function stopStack(proc: StackProcess): Promise<number | null> {
  process.kill(proc.child.pid as number, 'SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 60_000);
  const code = await proc.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`npm start exited with ${code} after SIGTERM:\n${proc.output().slice(-4000)}`);
  return code;
}

async function login(apiUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

function databaseUrl(dataDir: string, port: number): string {
  const password = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/pis`;
}

async function caseRow(url: string, caseId: string): Promise<{ id: string; workflow_id: string } | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; workflow_id: string }>('SELECT id, "workflowId" AS workflow_id FROM "Case" WHERE id = $1', [caseId]);
    return rows[0];
  } finally {
    await client.end();
  }
}

async function describeWorkflow(address: string, workflowId: string): Promise<{ runId: string; status: string }> {
  const connection = await Connection.connect({ address });
  try {
    const res = await connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
    return { runId: res.workflowExecutionInfo?.execution?.runId ?? '', status: String(res.workflowExecutionInfo?.status) };
  } finally {
    await connection.close();
  }
}

const linuxOnly = process.platform === 'linux' ? describe : describe.skip;

linuxOnly('npm start (src/main.ts)', () => {
  let tmp: string;
  let dataDir: string;
  let ports: Ports;
  const running: StackProcess[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-start-'));
    // As root the embedded PostgreSQL runs as the postgres user, which must traverse the path.
    fs.chmodSync(tmp, 0o711);
    dataDir = path.join(tmp, 'data');
    ports = { api: await freePort(), pg: await freePort(), temporal: await freePort(), ui: await freePort() };
  });

  afterAll(async () => {
    for (const proc of running) if (proc.child.exitCode === null && proc.child.signalCode === null) await stopStack(proc).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('boots from an empty data directory, serves a case, stops cleanly, and keeps the data across a restart', async () => {
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const temporalAddress = `127.0.0.1:${ports.temporal}`;

    // First start: cold, empty data directory.
    const first = spawnStack(dataDir, ports);
    running.push(first);
    await waitForHttp(`${apiUrl}/ready`, first);
    await waitForHttp(`http://127.0.0.1:${ports.ui}/`, first, 30_000);
    expect(first.output()).toContain('PIS case management is running');
    expect(first.output()).toContain(apiUrl);
    expect(first.output()).not.toContain(fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim());

    const children = descendants(first.child.pid as number);
    const postgres = children.filter((p) => /\/postgres\s/.test(p.cmd));
    const temporal = children.filter((p) => /temporal\S*\s+server start-dev/.test(p.cmd));
    expect(postgres.length).toBeGreaterThan(0);
    expect(temporal).toHaveLength(1);

    // A case through the operator API: a database row and a workflow.
    const token = await login(apiUrl, 'intake', 'demo-intake-pis');
    const created = await fetch(`${apiUrl}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        reportingForce: 'carabinieri',
        officerName: 'Brig. Rossi',
        callbackNumber: '+39 02 1234567',
        reportNumber: `R-platform-start-${Date.now()}`,
        reportedAt: new Date().toISOString(),
        eventComuneCode: LAINATE,
        eventAddress: 'Via Roma 1',
        categories: ['homeless'],
        people: [{ role: 'subject', firstName: 'Mario', lastName: 'Bianchi', birthYear: 1961, isMinor: false }],
        immediateDangers: ['cold_exposure'],
        narrative: 'Uomo senza dimora in stazione, temperatura sotto lo zero.',
      }),
    });
    expect(created.status).toBe(201);
    const { caseId } = (await created.json()) as { caseId: string };
    const workflowId = caseWorkflowId(caseId);
    const url = databaseUrl(dataDir, ports.pg);
    expect(await caseRow(url, caseId)).toEqual({ id: caseId, workflow_id: workflowId });
    const before = await describeWorkflow(temporalAddress, workflowId);
    expect(before.runId).not.toBe('');
    // /metrics (from this machine): the service's series and the in-process worker's SDK metrics.
    const metrics = await fetch(`${apiUrl}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^pis_open_cases\{status="[a-z_]+",step="[a-z_]+"\} 1$/m);
    expect(text).toMatch(/^temporal_\w+(\{[^}]*\})? \d/m);

    // SIGTERM: exit 0, nothing left behind.
    expect(await stopStack(first)).toBe(0);
    const leftovers = children.filter((p) => isAlive(p.pid));
    expect(leftovers).toEqual([]);

    // Second start on the same data directory: warm, same data.
    const second = spawnStack(dataDir, ports);
    running.push(second);
    await waitForHttp(`${apiUrl}/ready`, second);
    expect(await caseRow(url, caseId)).toEqual({ id: caseId, workflow_id: workflowId });
    const after = await describeWorkflow(temporalAddress, workflowId);
    expect(after.runId).toBe(before.runId);
    // The API reads the case again, workflow state included: same codec key, same worker task queue.
    const again = await fetch(`${apiUrl}/api/cases/${caseId}`, {
      headers: { authorization: `Bearer ${await login(apiUrl, 'intake', 'demo-intake-pis')}` },
    });
    expect(again.status).toBe(200);

    const secondChildren = descendants(second.child.pid as number);
    expect(await stopStack(second)).toBe(0);
    expect(secondChildren.filter((p) => isAlive(p.pid))).toEqual([]);
  });

  it('refuses a bad setting with a readable message naming it, and no stack trace', async () => {
    const proc = spawnStack(path.join(tmp, 'bad-config'), ports, { API_PORT: 'abc' });
    running.push(proc);
    const code = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output()).toContain('API_PORT');
    expect(proc.output()).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(fs.existsSync(path.join(tmp, 'bad-config'))).toBe(false);
  });

  it('refuses a port in use, naming the setting, before starting anything', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.api, '127.0.0.1', resolve));
    try {
      const proc = spawnStack(path.join(tmp, 'busy-port'), ports);
      running.push(proc);
      const code = await proc.exited;
      expect(code).not.toBe(0);
      expect(proc.output()).toMatch(new RegExp(`Port ${ports.api} .*already in use.*API_PORT`));
      expect(proc.output()).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(fs.existsSync(path.join(tmp, 'busy-port', 'postgres'))).toBe(false);
      expect(fs.existsSync(path.join(tmp, 'busy-port', 'temporal.db'))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
