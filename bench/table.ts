import type { PrismaClient } from '../src/generated/prisma/client';

/**
 * The bench's one table. Every module (engine baselines, the project's figures, the read model)
 * contributes rows; `npm run bench` prints them together with their targets, measured in one run.
 */

export interface BenchRow {
  metric: string;
  /** Read-model size for query rows, '-' otherwise. */
  rows?: string;
  /** Samples behind p50/p95 (or the cases behind a size or throughput figure). */
  n?: number;
  p50?: number;
  p95?: number;
  /** A figure that is not a latency: "3.1×", "41.2 KB", "182 cases/min". */
  value?: string;
  /** The target, as the issue states it ("≤ 2× bare update"). */
  target?: string;
  /** Whether the target is met (undefined: no target). */
  met?: boolean;
}

/** What a bench module gets: the services of this run, and a way to time a call. */
export interface BenchContext {
  iterations: number;
  /** The bench's own database (migrated, seeded). */
  prisma: PrismaClient;
  /** Calls the API as this demo user; throws on a 4xx/5xx. */
  api: (user: string, method: string, path: string, body?: unknown) => Promise<unknown>;
  time: <T>(samples: number[], fn: () => Promise<T>) => Promise<T>;
  log: (line: string) => void;
}

/** A bench module: runs after the engine and task-path figures, returns its rows for the table. */
export type BenchModule = (ctx: BenchContext) => Promise<BenchRow[]>;

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export function latencyRow(metric: string, samples: number[], extra: Partial<BenchRow> = {}): BenchRow {
  return { metric, rows: '-', n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), ...extra };
}

/** p50 of `samples` over p50 of `base`. */
export function p50Ratio(samples: number[], base: number[]): number {
  return percentile(samples, 50) / percentile(base, 50);
}

export function ratioTarget(ratio: number, max: number, of: string): Pick<BenchRow, 'value' | 'target' | 'met'> {
  return { value: `${ratio.toFixed(2)}×`, target: `≤ ${max}× ${of}`, met: ratio <= max };
}

export function formatTable(rows: BenchRow[]): string {
  const header = ['metric', 'rows', 'n', 'p50 ms', 'p95 ms', 'value', 'target', 'met'];
  const cells = rows.map((r) => [
    r.metric,
    r.rows ?? '-',
    r.n === undefined ? '' : String(r.n),
    r.p50 === undefined ? '' : r.p50.toFixed(1),
    r.p95 === undefined ? '' : r.p95.toFixed(1),
    r.value ?? '',
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((l) => (l[i] ?? '').length)));
  const numeric = new Set([2, 3, 4, 5]);
  const fmt = (line: string[]) => `| ${line.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(fmt)].join('\n');
}
