/**
 * Engine baselines for `npm run bench` (not case workflows): what Temporal itself costs on this
 * machine, measured in the same run as the project's figures.
 *
 * - benchUpdateWorkflow: an update answered at once, or after one regular or one local activity
 *   that writes a row to PostgreSQL;
 * - benchProtocolShapeWorkflow: the shape of a case (the same number of updates and timers as the
 *   standard case, no persistence), driven end to end.
 */
import { CancellationScope, condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';

/** The table the baseline activity writes to (created by the bench, not a migration). */
export const ENGINE_TABLE = 'bench_engine_write';

export interface BenchActivities {
  writeRow(id: string): Promise<void>;
}

const options = { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 } } as const;
const regular = proxyActivities<BenchActivities>(options);
const local = proxyLocalActivities<BenchActivities>(options);

export type BenchUpdateMode = 'bare' | 'activity' | 'local';
export const benchUpdate = defineUpdate<number, [string]>('benchUpdate');
export const benchStop = defineUpdate<void>('benchStop');

export async function benchUpdateWorkflow(mode: BenchUpdateMode): Promise<number> {
  let count = 0;
  let stopped = false;
  setHandler(benchUpdate, async (id: string) => {
    count += 1;
    if (mode === 'activity') await regular.writeRow(id);
    if (mode === 'local') await local.writeRow(id);
    return count;
  });
  setHandler(benchStop, () => {
    stopped = true;
  });
  await condition(() => stopped);
  return count;
}

/** One step of the shape: the update that ends step `step`. */
export const benchAdvance = defineUpdate<number, [number]>('benchAdvance');

export interface ProtocolShape {
  /** Updates in the order the standard case receives them (claim, complete, move handover...). */
  updates: number;
  /** Timers the standard case starts. */
  timers: number;
}

export async function benchProtocolShapeWorkflow(shape: ProtocolShape): Promise<number> {
  let step = 0;
  setHandler(benchAdvance, async (n: number) => {
    // An update for a later step waits its turn, as a case's task exists only once the step starts.
    await condition(() => step === n);
    step += 1;
    return step;
  });
  const extraTimers = new CancellationScope();
  const extra = extraTimers.run(() => Promise.all(Array.from({ length: Math.max(0, shape.timers - shape.updates) }, () => sleep('1 day'))));
  for (let i = 0; i < shape.updates; i += 1) {
    const reached = () => step > i;
    if (i < shape.timers) await condition(reached, '1 day');
    else await condition(reached);
  }
  extraTimers.cancel();
  await extra.catch(() => undefined);
  return step;
}
