import type { Logger } from 'pino';
import { createLogger } from '../api/logger';
import { type AppConfig, loadConfig } from '../config';
import { describeStartupError } from './errors';
import { ShutdownStack, onShutdownSignals } from './shutdown';

/** What an entry point prints once it is up. */
export interface StartupSummary {
  title: string;
  rows: Array<[label: string, value: string]>;
  notes?: string[];
}

export interface Running {
  summary: StartupSummary;
  /** Settles with an error when a component stops on its own (e.g. the worker fails fatally). */
  failed?: Promise<Error>;
}

export interface BootContext {
  config: AppConfig;
  logger: Logger;
  /** Everything started registers its stop here. */
  stack: ShutdownStack;
}

/**
 * The life of a process, shared by `npm start`, the worker and the API server: validate the
 * config, start, print one summary, run until SIGINT/SIGTERM (or a component fails), stop in
 * reverse order, exit. A startup failure prints a readable message (no stack trace), stops what
 * was already started and exits 1.
 */
export async function runEntryPoint(name: string, start: (ctx: BootContext) => Promise<Running>): Promise<never> {
  const startedAt = Date.now();
  const ctx = boot(name);
  const { logger, stack } = ctx;
  onShutdownSignals(logger, () => void stack.stopAll());

  let exitCode = 0;
  try {
    const running = await start(ctx);
    stack.throwIfStopping();
    process.stdout.write(formatSummary(running.summary, Date.now() - startedAt));
    const failure = await Promise.race([stack.requested.then(() => undefined), running.failed ?? new Promise<never>(() => undefined)]);
    if (failure !== undefined) {
      logger.error({ err: failure }, 'a component stopped unexpectedly; shutting down');
      process.stderr.write(`${name}: ${describeStartupError(failure)}\n`);
      exitCode = 1;
    }
  } catch (err) {
    // A failure caused by a stop request during boot (e.g. Ctrl+C while starting) is not an error.
    if (!stack.stopping) {
      process.stderr.write(`${name}: cannot start.\n${describeStartupError(err)}\n`);
      exitCode = 1;
    }
  }
  await stack.stopAll();
  logger.info({ exitCode }, 'stopped');
  logger.flush();
  // Native handles (Temporal core, pg pools) must not keep a stopped process alive.
  process.exit(exitCode);
}

/** Config (a readable error and exit 1 if invalid), logger and shutdown stack of a process. */
function boot(name: string): BootContext {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    return fail(name, err);
  }
  const logger = createLogger({ level: config.logLevel });
  return { config, logger, stack: new ShutdownStack(logger) };
}

function fail(name: string, err: unknown): never {
  process.stderr.write(`${name}: cannot start.\n${describeStartupError(err)}\n`);
  process.exit(1);
}

export function formatSummary(summary: StartupSummary, elapsedMs: number): string {
  const width = Math.max(...summary.rows.map(([label]) => label.length));
  const lines = [
    '',
    `${summary.title} (ready in ${(elapsedMs / 1000).toFixed(1)} s)`,
    ...summary.rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    ...(summary.notes ?? []).map((n) => `  ${n}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** A one-shot command (e.g. the migration job): config, run, readable error or exit 0. */
export async function runTask(name: string, task: (ctx: BootContext) => Promise<string>): Promise<never> {
  const ctx = boot(name);
  const { logger, stack } = ctx;
  let exitCode = 0;
  try {
    process.stdout.write(`${name}: ${await task(ctx)}\n`);
  } catch (err) {
    process.stderr.write(`${name}: failed.\n${describeStartupError(err)}\n`);
    exitCode = 1;
  }
  await stack.stopAll();
  logger.flush();
  process.exit(exitCode);
}
