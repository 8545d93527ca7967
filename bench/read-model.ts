import { createServiceMetrics } from '../src/api/metrics';
import { seedReadModel } from './read-model-seed';
import { type BenchContext, type BenchRow, latencyRow, percentile } from './table';

/**
 * The read model at scale: every case list, task list, stuck and summary query of the API (and
 * the /metrics gauges) at BENCH_READ_MODEL_ROWS cases (default 100,000 and 1,000,000), p95
 * against 50 ms. Rows come from bench/read-model-seed.ts (SQL generate_series, realistic
 * distributions) and stay in the bench database, so the larger size only adds the difference.
 */
const SIZES = (process.env.BENCH_READ_MODEL_ROWS ?? '100000,1000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const TARGET_MS = 50;
/** Samples per query and size (the bench's iterations, at most this many). */
const MAX_SAMPLES = 100;

type Query = [metric: string, user: string, path: string];

const QUERIES: Query[] = [
  ['cases: all, newest first', 'coordinatore', '/api/cases?limit=50'],
  ['cases: status=active', 'coordinatore', '/api/cases?status=active&limit=100'],
  ['cases: status=active, oldest first', 'coordinatore', '/api/cases?status=active&order=asc&limit=50'],
  ['cases: status=closed by createdAt', 'coordinatore', '/api/cases?status=closed&sort=createdAt&order=desc&limit=50'],
  ['cases: risk=critical', 'coordinatore', '/api/cases?risk=critical&limit=50'],
  ['cases: category=msna', 'coordinatore', '/api/cases?category=msna&limit=50'],
  ['cases: comune + overdue by overdueSince', 'coordinatore', '/api/cases?comune=015182&overdue=true&sort=overdueSince&limit=50'],
  ['cases: awaiting_handover by handoverAt', 'coordinatore', '/api/cases?status=awaiting_handover&sort=handoverAt&order=asc&limit=100'],
  ['cases: step=intervention by lastProgressAt', 'coordinatore', '/api/cases?step=intervention&sort=lastProgressAt&order=asc&limit=50'],
  ['cases: social worker, whole Comune', 'as.rho', '/api/cases?limit=50'],
  ['cases: social worker, handover by handoverAt', 'as.rho', '/api/cases?status=handover&sort=handoverAt&order=asc&limit=100'],
  ['cases: social worker, closed by createdAt', 'as.rho', '/api/cases?status=closed&sort=createdAt&order=desc&limit=20'],
  ['tasks: coordinator, all active', 'coordinatore', '/api/tasks?scope=all&limit=50'],
  ['tasks: coordinator, overdue', 'coordinatore', '/api/tasks?scope=all&overdue=true&limit=50'],
  ['tasks: coordinator, completed', 'coordinatore', '/api/tasks?scope=all&status=completed&limit=50'],
  ['tasks: operator, mine', 'operatore1', '/api/tasks?scope=mine&limit=100'],
  ['tasks: operator, available', 'operatore1', '/api/tasks?scope=available&limit=100'],
  ['tasks: social worker, handover_ack', 'as.rho', '/api/tasks?type=handover_ack&limit=100'],
  ['stuck: GET /api/supervision/stuck', 'coordinatore', '/api/supervision/stuck'],
  ['summary: GET /api/supervision/summary', 'coordinatore', '/api/supervision/summary'],
];

/** The page after the first one, through its cursor (keyset pagination). */
const CURSOR_QUERIES: Query[] = [
  ['cases: page 2 by cursor, closed by createdAt', 'coordinatore', '/api/cases?status=closed&sort=createdAt&order=desc&limit=50'],
  ['tasks: page 2 by cursor, completed', 'coordinatore', '/api/tasks?scope=all&status=completed&limit=50'],
];

export async function readModelBench(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const samplesPerQuery = Math.min(ctx.iterations, MAX_SAMPLES);
  const metrics = createServiceMetrics({ prisma: ctx.prisma, readModelCacheMs: 0 });
  const row = (metric: string, size: number, samples: number[]): BenchRow => {
    const p95 = percentile(samples, 95);
    return latencyRow(`read model: ${metric}`, samples, { rows: size.toLocaleString('en'), target: `p95 ≤ ${TARGET_MS} ms`, met: p95 <= TARGET_MS });
  };
  for (const size of SIZES) {
    ctx.log(`read model: seeding to ${size.toLocaleString('en')} cases…`);
    const started = Date.now();
    const added = await seedReadModel(ctx.prisma, size);
    ctx.log(`read model: added ${added.toLocaleString('en')} cases in ${((Date.now() - started) / 1000).toFixed(0)} s; measuring…`);
    for (const [metric, user, path] of QUERIES) {
      const samples: number[] = [];
      await ctx.api(user, 'GET', path);
      for (let i = 0; i < samplesPerQuery; i += 1) await ctx.time(samples, () => ctx.api(user, 'GET', path));
      rows.push(row(metric, size, samples));
    }
    for (const [metric, user, path] of CURSOR_QUERIES) {
      const first = (await ctx.api(user, 'GET', path)) as { nextCursor?: string | null };
      if (typeof first.nextCursor !== 'string') throw new Error(`${path}: no next page at ${size} cases`);
      const next = `${path}&cursor=${encodeURIComponent(first.nextCursor)}`;
      const samples: number[] = [];
      for (let i = 0; i < samplesPerQuery; i += 1) await ctx.time(samples, () => ctx.api(user, 'GET', next));
      rows.push(row(metric, size, samples));
    }
    const gauges: number[] = [];
    for (let i = 0; i < samplesPerQuery; i += 1) await ctx.time(gauges, () => metrics.registry.metrics());
    rows.push(row('/metrics gauges (uncached)', size, gauges));
  }
  return rows;
}
