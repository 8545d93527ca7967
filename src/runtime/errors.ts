import { ConfigError } from '../config';

/**
 * A startup failure the operator can act on: the message says what is wrong and which setting
 * or file to look at. Printed as is, without a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** Errors whose message is already written for the operator (no stack trace needed). */
const READABLE = new Set(['ConfigError', 'StartupError', 'KeyringError', 'BinaryNotFoundError', 'InvalidBinaryError']);

/**
 * One readable paragraph for a failed start: the message, then the messages of its causes.
 * Stack traces only with LOG_LEVEL=debug or trace, for whoever is debugging the boot itself.
 */
export function describeStartupError(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (err instanceof ConfigError) return err.message;
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const text = current instanceof Error ? current.message : typeof current === 'string' ? current : JSON.stringify(current);
    if (text && !lines.some((l) => l.includes(text))) lines.push(depth === 0 ? text : `caused by: ${text}`);
    if (current instanceof Error && READABLE.has(current.name)) break;
    current = current instanceof Error ? current.cause : undefined;
  }
  const debug = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  return lines.join('\n') || 'unknown error';
}
