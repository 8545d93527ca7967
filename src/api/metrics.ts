import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Router } from 'express';
import express from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PrismaClient } from '../generated/prisma/client';
import { isLoopback } from './codec-router';
import { ProblemError } from './problem';
import { countCasesBy } from '../readmodel/counters';
import { CASE_STATUSES } from '../domain';

const RUNNING = CASE_STATUSES.filter((s) => s !== 'closed');

/**
 * `GET /metrics` in the Prometheus text format (prom-client):
 * - the service's own series: open cases by status and step, overdue tasks by type, escalations,
 *   notifications, read from the read model on scrape (indexed GROUP BY counts, cached a few
 *   seconds so several scrapers cost one round of queries), and the API's latency histograms;
 * - the Temporal SDK's worker metrics, when the worker runs in this process with the Runtime's
 *   Prometheus exporter on (TEMPORAL_METRICS_BIND_ADDRESS): its text is appended as is;
 * - Node.js process metrics (`pis_process_*`, `pis_nodejs_*`).
 * Who may read it: callers on this machine only, unless METRICS_TOKEN is set; then whoever
 * presents it as a Bearer token (and nobody else). Labels carry codes only, never personal data.
 */

export interface ServiceMetrics {
  registry: Registry;
  /** Times every request; mount first. */
  middleware: RequestHandler;
  router: Router;
}

export interface ServiceMetricsOptions {
  prisma: PrismaClient;
  /** METRICS_TOKEN; unset: loopback callers only. */
  token?: string;
  /** The Temporal Runtime's Prometheus exporter in this process, e.g. `127.0.0.1:9464`. */
  workerMetricsAddress?: string;
  /** How long one read of the read model serves scrapes, ms (default 5000). */
  readModelCacheMs?: number;
}

interface ReadModelCounts {
  openCases: Array<{ status: string; step: string; n: number }>;
  overdueTasks: Array<{ type: string; n: number }>;
  escalationTasks: Array<{ status: string; n: number }>;
  escalatedTasks: Array<{ status: string; n: number }>;
  notifications: Array<{ state: string; n: number }>;
}

async function readCounts(prisma: PrismaClient): Promise<ReadModelCounts> {
  const now = new Date();
  const [openCases, overdueTasks, escalationTasks, escalatedTasks, notifications] = await Promise.all([
    // Counters kept with every write (CaseCounter), not a count of the case table.
    countCasesBy(prisma, ['status', 'step'], {}, { statuses: RUNNING }),
    // Index-only: the running tasks' partial index (ambitoId, dueAt, …) INCLUDE (caseId, type).
    prisma.$queryRaw<Array<{ type: string; n: bigint }>>`
      SELECT type, count(*) AS n FROM "Task" WHERE status IN ('open', 'claimed') AND "dueAt" <= ${now} GROUP BY type`,
    prisma.$queryRaw<Array<{ status: string; n: bigint }>>`
      SELECT status, count(*) AS n FROM "Task" WHERE type = 'escalation' GROUP BY status`,
    prisma.$queryRaw<Array<{ status: string; n: bigint }>>`
      SELECT status, count(*) AS n FROM "Task" WHERE "escalatedAt" IS NOT NULL GROUP BY status`,
    // Counter kept by a trigger on "Notification".
    prisma.notificationCounter.findMany({ select: { state: true, n: true } }),
  ]);
  const num = <T extends { n: bigint }>(rows: T[]) => rows.map((r) => ({ ...r, n: Number(r.n) }));
  return {
    openCases,
    overdueTasks: num(overdueTasks),
    escalationTasks: num(escalationTasks),
    escalatedTasks: num(escalatedTasks),
    notifications: num(notifications).filter((r) => r.n !== 0),
  };
}

/**
 * One read of the read model for all gauges of a scrape (the gauges of one scrape collect at
 * once and share the read in flight, even with `ttlMs` 0); a settled read is reused for `ttlMs`.
 */
function cachedCounts(prisma: PrismaClient, ttlMs: number): () => Promise<ReadModelCounts> {
  let cached: { at: number; value: Promise<ReadModelCounts>; settled: boolean } | undefined;
  return () => {
    const now = Date.now();
    if (cached === undefined || (cached.settled && now - cached.at >= ttlMs)) {
      const value = readCounts(prisma);
      const entry = { at: now, value, settled: false };
      cached = entry;
      void value.then(
        () => {
          entry.settled = true;
        },
        () => {
          entry.settled = true;
          // A failed read is not reused.
          if (cached === entry) cached = undefined;
        },
      );
    }
    return cached.value;
  };
}

/** `5xx` from 503: bounded label values. */
const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/**
 * The route of a request with its ids replaced (`/tasks/:id/complete`), without the `/api` or
 * `/api/v1` prefix; `unmatched` for requests no route answered, so unknown paths add no series.
 */
export function routeLabel(req: Request): string {
  if (req.route === undefined) return 'unmatched';
  const path = (req.originalUrl.split('?')[0] ?? '').replace(/^\/api(\/v1)?(?=\/|$)/, '');
  const normalised = path
    .split('/')
    .map((segment) => (/\d/.test(segment) || segment.length > 40 ? ':id' : segment))
    .join('/');
  return normalised === '' ? '/' : normalised;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createServiceMetrics(options: ServiceMetricsOptions): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pis_' });
  const counts = cachedCounts(options.prisma, options.readModelCacheMs ?? 5000);

  new Gauge({
    name: 'pis_open_cases',
    help: 'Cases not closed, by status and protocol step (read model)',
    labelNames: ['status', 'step'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await counts()).openCases) this.set({ status: r.status, step: r.step }, r.n);
    },
  });
  new Gauge({
    name: 'pis_overdue_tasks',
    help: 'Open or claimed tasks past their due time, by task type (read model)',
    labelNames: ['type'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await counts()).overdueTasks) this.set({ type: r.type }, r.n);
    },
  });
  new Gauge({
    name: 'pis_escalation_tasks',
    help: 'Escalation tasks for the coordinator (manual and automatic), by task status (read model)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await counts()).escalationTasks) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'pis_escalated_tasks',
    help: 'Tasks whose escalation rule fired, by task status (read model)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await counts()).escalatedTasks) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'pis_notifications',
    help: 'Notifications to on-call staff, delivered or pending delivery (read model outbox)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const state of ['delivered', 'pending']) this.set({ state }, 0);
      for (const r of (await counts()).notifications) this.set({ state: r.state }, r.n);
    },
  });

  const requests = new Histogram({
    name: 'pis_http_request_duration_seconds',
    help: 'HTTP answers of the API, by method, route and status class',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const actions = new Histogram({
    name: 'pis_action_duration_seconds',
    help: 'Actions (writes) of the API until answered, by action (method and route) and status class',
    labelNames: ['action', 'status_class'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = process.hrtime.bigint();
    res.once('finish', () => {
      if (req.path === '/metrics') return;
      const seconds = Number(process.hrtime.bigint() - end) / 1e9;
      const route = routeLabel(req);
      const cls = statusClass(res.statusCode);
      requests.observe({ method: req.method, route, status_class: cls }, seconds);
      if (MUTATING.has(req.method) && route !== 'unmatched') actions.observe({ action: `${req.method} ${route}`, status_class: cls }, seconds);
    });
    next();
  };

  const router = express.Router();
  router.get('/metrics', async (req, res, next) => {
    try {
      if (!allowed(req, options.token)) {
        throw new ProblemError(options.token === undefined ? 403 : 401, {
          detail: options.token === undefined ? 'Metriche disponibili solo da questa macchina' : 'Token delle metriche mancante o non valido',
        });
      }
      let text = await registry.metrics();
      if (options.workerMetricsAddress !== undefined) text += await workerMetrics(options.workerMetricsAddress);
      res.type(registry.contentType).send(text);
    } catch (err) {
      next(err);
    }
  });
  return { registry, middleware, router };
}

function allowed(req: Request, token: string | undefined): boolean {
  if (token === undefined) return isLoopback(req.socket.remoteAddress);
  const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Temporal Runtime's own exporter (worker and client metrics); a failure is a comment, not a 500. */
async function workerMetrics(address: string): Promise<string> {
  try {
    const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return `\n# temporal worker metrics unavailable: HTTP ${res.status}\n`;
    return `\n${await res.text()}`;
  } catch (err) {
    return `\n# temporal worker metrics unavailable: ${(err as Error).name}\n`;
  }
}
