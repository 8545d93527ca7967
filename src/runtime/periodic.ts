import type { Logger } from 'pino';
import { loggableError } from '../api/problem';

/**
 * Runs `pass` now and again `intervalSeconds` after each pass ends (passes never overlap); a failed
 * pass is logged as `<name> failed` and the next one runs on time. The returned function stops it
 * and waits for a pass in flight.
 */
export function startPeriodic(name: string, pass: () => Promise<unknown>, logger: Logger, intervalSeconds: number): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  const run = () => {
    inFlight = pass()
      .catch((err: unknown) => logger.warn({ err: loggableError(err) }, `${name} failed`))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalSeconds * 1000);
      });
  };
  run();
  return async () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    await inFlight;
  };
}
