import type { Logger } from 'pino';
import type { ProcessStatus } from '../api/health';
import { StartupError } from './errors';

/** What a started child process offers to its supervisor. */
export interface ChildHandle {
  /** Settles when the process exits, with how (`code 1`, `signal SIGKILL`). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** Restart attempts after one unexpected exit before giving up. */
  maxAttempts: number;
  /** Delay before the first attempt; doubled after each failed one, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 15_000 };

/**
 * A child process the app started (the embedded PostgreSQL or Temporal dev server), watched: when
 * it exits while nobody asked it to, one error line names it and how it exited, `/ready` reports
 * it (see `status`), and it is started again (same data directory and port) with exponential
 * backoff. When it cannot come back after `maxAttempts`, `failed` settles and the app exits
 * non-zero with a clear message.
 */
export class SupervisedChild<H extends ChildHandle> {
  #handle: H;
  #stopping = false;
  #state: ProcessStatus['state'] = 'running';
  #lastExit: string | undefined;
  #exitedAt: string | undefined;
  #restarts = 0;
  #wake: (() => void) | undefined;
  #fail: (err: Error) => void = () => undefined;
  /** Settles when the child exited and could not be restarted. */
  readonly failed: Promise<Error> = new Promise((resolve) => (this.#fail = resolve));

  constructor(
    private readonly opts: {
      label: string;
      logger: Logger;
      restart: () => Promise<H>;
      policy?: RestartPolicy;
      onRestarted?: (handle: H) => void;
    },
    handle: H,
  ) {
    this.#handle = handle;
    this.#watch(handle);
  }

  get handle(): H {
    return this.#handle;
  }

  status(): ProcessStatus {
    return {
      label: this.opts.label,
      state: this.#state,
      restarts: this.#restarts,
      ...(this.#lastExit !== undefined && { lastExit: this.#lastExit }),
      ...(this.#exitedAt !== undefined && { exitedAt: this.#exitedAt }),
    };
  }

  /** Stops the child and any pending restart; an exit from now on is expected. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    if (this.#state === 'running') await this.#handle.stop();
  }

  #watch(handle: H): void {
    void handle.exited.then((how) => {
      if (this.#stopping || handle !== this.#handle) return;
      this.#state = 'restarting';
      this.#lastExit = how;
      this.#exitedAt = new Date().toISOString();
      this.opts.logger.error({ process: this.opts.label, exit: how }, `${this.opts.label} exited unexpectedly (${how}); restarting it`);
      void this.#restartLoop(how);
    });
  }

  async #restartLoop(how: string): Promise<void> {
    const policy = this.opts.policy ?? DEFAULT_RESTART_POLICY;
    let lastError = 'no attempt made';
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
      if (this.#stopping) return;
      try {
        const handle = await this.opts.restart();
        if (this.#stopping) {
          await handle.stop();
          return;
        }
        this.#handle = handle;
        this.#restarts += 1;
        this.#state = 'running';
        this.opts.logger.warn({ process: this.opts.label, attempt }, `${this.opts.label} restarted`);
        this.opts.onRestarted?.(handle);
        this.#watch(handle);
        return;
      } catch (err) {
        lastError = err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
        this.opts.logger.warn({ process: this.opts.label, attempt, error: lastError }, `${this.opts.label} did not restart`);
      }
    }
    this.#state = 'failed';
    this.#fail(
      new StartupError(
        `${this.opts.label} exited (${how}) and could not be restarted after ${policy.maxAttempts} attempts (last error: ${lastError}).`,
      ),
    );
  }
}
