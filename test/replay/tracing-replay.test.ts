import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../src/telemetry/tracing';
import { createDataConverter } from '../../src/temporal/data-converter';
import { caseWorkflowBundle } from '../../src/temporal/worker';
import { listHistoryFiles, readHistory, testOnlyKeyring } from '../../scripts/lib/histories';

/**
 * Turning tracing on (OTEL_EXPORTER_OTLP_ENDPOINT) for running cases is safe: every committed
 * history, recorded without tracing, replays against the traced bundle
 * (src/temporal/workflow-interceptors.ts) with the worker's tracing interceptors.
 */

Runtime.install({ logger: new DefaultLogger('WARN') });

it('replays every committed history with the tracing interceptors in the bundle', async () => {
  const tracing = startTracing({ tracing: { serviceName: 'pis-replay' } }, { exporter: new InMemorySpanExporter() });
  if (tracing === undefined) throw new Error('tracing did not start');
  const failures: string[] = [];
  const histories = listHistoryFiles();
  expect(histories.length).toBeGreaterThan(20);
  const results = Worker.runReplayHistories(
    {
      workflowBundle: await caseWorkflowBundle({ tracing: true }),
      dataConverter: createDataConverter(testOnlyKeyring()),
      replayName: 'traced-replay',
      interceptors: tracing.worker.interceptors,
    },
    histories.map((f) => ({ workflowId: f.name, history: readHistory(f.file) })),
  );
  for await (const r of results) if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  await tracing.shutdown();
  expect(failures).toEqual([]);
});
