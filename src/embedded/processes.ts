import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/**
 * Whether the process with this pid is alive: it exists (signal 0 sends nothing) and, where
 * /proc tells, it is not a zombie waiting to be reaped (dead for every purpose here).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user (e.g. postgres started as the postgres user).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // Gone in between, or no procfs here: then the signal's answer stands.
    return !fs.existsSync('/proc/self/stat');
  }
}

/** The command line of a process as its arguments (Linux /proc), or undefined when it cannot be read. */
export function commandLine(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.length === 0 ? undefined : raw.replace(/\0$/, '').split('\0');
  } catch {
    return undefined;
  }
}

/** The pid on the first line of a pid file, or undefined (no file, not a number). */
export function readPidFile(file: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.split('\n')[0]?.trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

export type OrphanOutcome =
  | { kind: 'none' }
  /** Alive, but not provably the server of this data directory: left alone. */
  | { kind: 'not_ours'; pid: number }
  | { kind: 'stopped'; pid: number; forced: boolean };

/**
 * Stops a server left running by a previous run of this app that was killed without stopping it
 * (SIGKILL, OOM killer), found through its pid file. It is touched only when it is provably that
 * server: alive, not this process, and its command line holds every one of `mustContain` (the
 * binary's name and this data directory's path). Then `signal`, a bounded wait, and SIGKILL as
 * the last resort (after checking again that the pid still is that server).
 */
export async function stopOrphan(opts: {
  pidFile: string;
  /** Each must appear in one argument of the process's command line. */
  mustContain: string[];
  signal: NodeJS.Signals;
  timeoutMs?: number;
}): Promise<OrphanOutcome> {
  const pid = readPidFile(opts.pidFile);
  if (pid === undefined || pid === process.pid || pid === process.ppid || !isAlive(pid)) return { kind: 'none' };
  const isOurs = () => {
    const args = commandLine(pid);
    return args !== undefined && opts.mustContain.every((needle) => args.some((a) => a.includes(needle)));
  };
  if (!isOurs()) return { kind: 'not_ours', pid };
  const gone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return !isAlive(pid);
  };
  try {
    process.kill(pid, opts.signal);
  } catch {
    return { kind: 'stopped', pid, forced: false };
  }
  if (await gone(opts.timeoutMs ?? 15_000)) return { kind: 'stopped', pid, forced: false };
  if (isOurs()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
  await gone(5_000);
  return { kind: 'stopped', pid, forced: true };
}

/**
 * The lifecycle of a server child this process started: `exited` resolves with how it ended,
 * `spawnError` if it could not start, and `stop()` sends `stopSignal`, then SIGKILL if it has not
 * ended within the timeout. If this process exits without calling stop(), `exitSignal` goes to
 * the child so the server does not outlive the app.
 */
export function ownChild(
  child: ChildProcess,
  opts: { stopSignal: NodeJS.Signals; exitSignal: NodeJS.Signals; defaultTimeoutMs: number; onExit?: () => void },
): { exited: Promise<string>; spawnError: Promise<Error>; stop: (timeoutMs?: number) => Promise<void> } {
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      opts.onExit?.();
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    }),
  );
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const onProcessExit = () => child.kill(opts.exitSignal);
  process.once('exit', onProcessExit);
  const stop = async (timeoutMs = opts.defaultTimeoutMs) => {
    process.removeListener('exit', onProcessExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(opts.stopSignal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { exited, spawnError, stop };
}
