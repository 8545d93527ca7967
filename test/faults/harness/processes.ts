import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from '../../../src/embedded/processes';

/**
 * Child processes of the fault suite, each in its own process group with its output in a log
 * file. A supervised process that exits without being asked to is restarted (as systemd or a
 * container runtime would) and the exit is counted: the table reports it.
 */

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The environment of a child: no Jest / VM-modules flags inherited. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  for (const k of Object.keys(env)) if (k.startsWith('JEST_') || k.startsWith('TEST_')) delete env[k];
  env.PATH = `${path.join(REPO_ROOT, 'node_modules/.bin')}:${env.PATH ?? ''}`;
  return { ...env, ...extra };
}

export class ManagedProcess {
  child?: ChildProcess;
  /** Exits nobody asked for (not a fault injection, not a stop). */
  unplannedExits = 0;
  /** Restarts done by the supervisor after such an exit. */
  autoRestarts = 0;
  private expectingExit = false;
  private supervised = false;
  private exitWaiters: Array<() => void> = [];

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(opts: { supervise?: boolean } = {}): void {
    this.supervised = opts.supervise ?? this.supervised;
    this.expectingExit = false;
    const fd = fs.openSync(this.spec.logFile, 'a');
    fs.writeSync(fd, `\n===== ${new Date().toISOString()} start ${this.spec.name}\n`);
    const child = spawn(this.spec.command, this.spec.args, { cwd: REPO_ROOT, env: this.spec.env, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    this.child = child;
    child.once('exit', (code, signal) => {
      fs.appendFileSync(this.spec.logFile, `\n===== ${new Date().toISOString()} exit ${this.spec.name} ${signal ?? `code ${code}`}\n`);
      const waiters = this.exitWaiters;
      this.exitWaiters = [];
      for (const w of waiters) w();
      if (this.child !== child || this.expectingExit) return;
      this.unplannedExits += 1;
      if (!this.supervised) return;
      setTimeout(() => {
        if (this.child === child && !this.expectingExit) {
          this.autoRestarts += 1;
          this.start();
        }
      }, 2_000);
    });
  }

  /** Resolves when the current child has exited (at once if it has). */
  waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Fault injection: SIGKILL this pid only (its children, if any, are orphaned). */
  async kill9(pid = this.pid): Promise<void> {
    this.expectingExit = true;
    if (pid !== undefined) signalQuietly(pid, 'SIGKILL');
    await this.waitExit(10_000);
  }

  /** Fault injection: a signal to the whole process group (Ctrl-C in a terminal). */
  signalGroup(signal: NodeJS.Signals): void {
    this.expectingExit = true;
    if (this.pid !== undefined) signalQuietly(-this.pid, signal);
  }

  /** End of the suite: SIGTERM, then SIGKILL to the group. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.expectingExit = true;
    this.supervised = false;
    const pid = this.pid;
    if (pid === undefined) return;
    if (this.running) {
      signalQuietly(pid, 'SIGTERM');
      if (!(await this.waitExit(timeoutMs))) signalQuietly(-pid, 'SIGKILL');
    }
    // Whatever is left in its group (orphaned children) goes too.
    signalQuietly(-pid, 'SIGKILL');
    await this.waitExit(5_000);
  }
}

export function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  cmdline: string;
}

/** Live processes of this machine (Linux /proc), zombies excluded. */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue;
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(name), ppid: Number(rest[1]), pgid: Number(rest[2]), cmdline });
    } catch {
      // gone in between
    }
  }
  return out;
}

/** Processes whose command line mentions this directory (the embedded servers of one data dir). */
export function processesUsing(dir: string): ProcInfo[] {
  return listProcesses().filter((p) => p.pid !== process.pid && p.cmdline.includes(dir));
}

export function readPostmasterPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
