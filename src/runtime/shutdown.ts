import type { Logger } from 'pino';

interface Step {
  name: string;
  stop: () => Promise<unknown>;
}

/** Thrown by a boot step that finds a stop was requested meanwhile (a signal during startup). */
export class BootAborted extends Error {
  constructor() {
    super('startup interrupted by a stop request');
    this.name = 'BootAborted';
  }
}

/**
 * What was started, in order; `stopAll` stops it in reverse order (last started, first stopped):
 * HTTP server, worker, connections, then the embedded Temporal and PostgreSQL. A failing step is
 * logged and the next one still runs, so one stuck component never leaves the others running.
 * Something registered while stopping (a boot step that was still running when the signal
 * came) is stopped as soon as it is registered.
 */
export class ShutdownStack {
  readonly #steps: Step[] = [];
  #stopping: Promise<void> | undefined;
  #onRequested: () => void = () => undefined;
  /** Resolves when `stopAll` is first called. */
  readonly requested: Promise<void> = new Promise((resolve) => (this.#onRequested = resolve));

  constructor(private readonly logger: Logger) {}

  /** Registers how to stop something that has just been started. */
  defer(name: string, stop: () => Promise<unknown>): void {
    const step = { name, stop };
    if (this.#stopping === undefined) this.#steps.push(step);
    else this.#stopping = this.#stopping.then(() => this.#runStep(step));
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** For boot code between steps: stop starting things once a stop was requested. */
  throwIfStopping(): void {
    if (this.stopping) throw new BootAborted();
  }

  /** Idempotent: later calls wait for the same stop (and anything registered since). */
  async stopAll(): Promise<void> {
    if (this.#stopping === undefined) {
      this.#onRequested();
      this.#stopping = this.#runAll();
    }
    let current: Promise<void>;
    do {
      current = this.#stopping;
      await current;
    } while (current !== this.#stopping);
  }

  async #runAll(): Promise<void> {
    while (this.#steps.length > 0) await this.#runStep(this.#steps.pop() as Step);
  }

  async #runStep(step: Step): Promise<void> {
    const started = Date.now();
    try {
      await step.stop();
      this.logger.debug({ step: step.name, ms: Date.now() - started }, 'stopped');
    } catch (err) {
      this.logger.error({ step: step.name, err }, 'error while stopping; continuing with the next step');
    }
  }
}

/**
 * SIGINT/SIGTERM start a graceful stop; a second signal while stopping exits at once (code 130
 * or 143), for an operator who does not want to wait for running activities. Ctrl+C under
 * `npm start` delivers the same SIGINT twice (from the terminal and forwarded by npm): a
 * repeat within a second is that echo, not a second request.
 */
export function onShutdownSignals(logger: Logger, shutdown: (signal: NodeJS.Signals) => void, echoMs = 1000): void {
  let received: NodeJS.Signals | undefined;
  let receivedAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (received !== undefined && Date.now() - receivedAt < echoMs) return;
    if (received !== undefined) {
      logger.warn({ signal }, 'second signal: exiting without waiting for the graceful stop');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    received = signal;
    receivedAt = Date.now();
    logger.info({ signal }, 'stopping (send the signal again to force)');
    shutdown(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
