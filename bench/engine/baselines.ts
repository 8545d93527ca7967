import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import * as proto from '@temporalio/proto';
import { runChain } from '../../scripts/lib/histories';
import {
  benchAdvance,
  benchProtocolShapeWorkflow,
  benchStop,
  benchUpdate,
  benchUpdateWorkflow,
  type BenchUpdateMode,
  type ProtocolShape,
} from './workflows';

/** The three update baselines: one long-lived workflow each, updated once per sample. */
export class UpdateBaselines {
  private readonly ids: Record<BenchUpdateMode, string>;

  private constructor(
    private readonly client: Client,
    ids: Record<BenchUpdateMode, string>,
  ) {
    this.ids = ids;
  }

  static async start(client: Client, taskQueue: string): Promise<UpdateBaselines> {
    const modes: BenchUpdateMode[] = ['bare', 'activity', 'local'];
    const ids = Object.fromEntries(modes.map((m) => [m, `bench-update-${m}-${randomUUID().slice(0, 8)}`])) as Record<BenchUpdateMode, string>;
    for (const mode of modes) await client.workflow.start(benchUpdateWorkflow, { taskQueue, workflowId: ids[mode], args: [mode] });
    const b = new UpdateBaselines(client, ids);
    for (const mode of modes) await b.update(mode); // first workflow task done: later samples find it cached
    return b;
  }

  update(mode: BenchUpdateMode): Promise<number> {
    return this.client.workflow.getHandle(this.ids[mode]).executeUpdate(benchUpdate, { args: [randomUUID()] });
  }

  async stop(): Promise<void> {
    for (const id of Object.values(this.ids)) await this.client.workflow.getHandle(id).executeUpdate(benchStop).catch(() => undefined);
  }
}

export interface HistoryFigures {
  runs: number;
  events: number;
  /** Protobuf-encoded size of every run's history: what the server stores. */
  bytes: number;
  timers: number;
  updates: number;
}

type HistoryEvent = NonNullable<proto.temporal.api.history.v1.IHistory['events']>[number];
const EventType = proto.temporal.api.enums.v1.EventType;

/** Events and bytes of a workflow over its whole continue-as-new chain. */
export async function historyFigures(client: Client, workflowId: string): Promise<HistoryFigures> {
  const runs = await runChain(client, workflowId);
  const events: HistoryEvent[] = runs.flatMap((r) => r.history.events ?? []);
  const bytes = runs.reduce((sum, r) => sum + proto.temporal.api.history.v1.History.encode(proto.temporal.api.history.v1.History.fromObject(r.history)).finish().length, 0);
  const count = (t: proto.temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === t).length;
  return {
    runs: runs.length,
    events: events.length,
    bytes,
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
    updates: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
  };
}

/** Drives one bare workflow of the case's shape end to end: start, every update, result. */
export async function driveProtocolShape(client: Client, taskQueue: string, shape: ProtocolShape): Promise<void> {
  const handle = await client.workflow.start(benchProtocolShapeWorkflow, { taskQueue, workflowId: `bench-shape-${randomUUID()}`, args: [shape] });
  for (let n = 0; n < shape.updates; n += 1) await handle.executeUpdate(benchAdvance, { args: [n] });
  await handle.result();
}

/** Runs `total` drives, `concurrency` at a time; answers cases per minute. */
export async function throughput(total: number, concurrency: number, drive: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      for (let i = next++; i < total; i = next++) await drive(i);
    }),
  );
  const minutes = Number(process.hrtime.bigint() - started) / 60e9;
  return total / minutes;
}
