import fs from 'node:fs';

/**
 * Whether the process with this pid is alive: it exists (signal 0 sends nothing) and, where
 * /proc tells, it is not a zombie waiting to be reaped (dead for every purpose here).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // Gone in between, or no procfs here: then the signal's answer stands.
    return !fs.existsSync('/proc/self/stat');
  }
}
