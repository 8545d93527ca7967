import type { Client, Connection } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PrismaClient } from '../generated/prisma/client';
import { Prisma } from '../generated/prisma/client';
import { CASE_STATUSES, caseWorkflowId, STEPS } from '../workflows/definitions';
import type { SupervisionSettings } from './settings';

/**
 * Stuck cases, as a supervisor sees them (the product brief's "what stuck means"): a task past its
 * due time; no progress for longer than the step allows; an activity failing or retrying; the
 * workflow task failing or the workflow ended without closing the case; no worker polling the
 * task queue. The read model answers the first two with indexed queries; Temporal answers the rest
 * (DescribeTaskQueue once, DescribeWorkflowExecution for a bounded number of running cases).
 */

import type { ScanError, ScanStatus, StuckCase, StuckReason, StuckReportPage, WorkerStatus } from '../contract/supervision';
export type { ScanError, ScanStatus, StuckCase, StuckKind, StuckReason, StuckReport, StuckReportPage, SuggestedAction, WorkerStatus } from '../contract/supervision';

export interface SupervisionDeps {
  prisma: PrismaClient;
  client: Client;
  connection: Connection;
  namespace: string;
  taskQueue: string;
}

const ACTIVE_TASK = ['open', 'claimed'];
/** Running statuses judged by their step allowance (awaiting_handover is judged by its handover time). */
const IDLE_STATUSES = CASE_STATUSES.filter((s) => s !== 'closed' && s !== 'awaiting_handover');
const RUNNING_STATUSES = CASE_STATUSES.filter((s) => s !== 'closed');
const MINUTE = 60_000;
/** A case whose workflow start (intake outbox) is pending longer than this is stuck. */
const START_PENDING_MINUTES = 2;
const CASE_SELECT = {
  id: true,
  reference: true,
  status: true,
  step: true,
  riskLevel: true,
  eventComuneCode: true,
  competentComuneCode: true,
  lastProgressAt: true,
  handoverAt: true,
  persistenceFailedAt: true,
  persistenceError: true,
} satisfies Prisma.CaseSelect;
type CaseRow = Prisma.CaseGetPayload<{ select: typeof CASE_SELECT }>;

/**
 * A failure message fit for a supervisor's screen: one line, no stack frames or file paths, no
 * quoted values (they may echo input), no e-mail addresses or long numbers, at most 200 characters.
 */
export function sanitiseFailure(message: string | null | undefined): string {
  const text = (message ?? '')
    .split('\n')
    // Stack frames, file paths and code frames (`  23 | source`, `→ 29 source`) are not for supervisors.
    .filter((line) => !/^\s*at\s|node_modules|\.[cm]?[jt]s:\d+|^\s*\/|^\s*(?:→\s*)?\d+\s*[|\s]/.test(line))
    .join(' ')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"')
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]')
    .replace(/(?:[a-z]+:\/\/|\/)[^\s"]+/gi, '[path]')
    .replace(/\d{5,}/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? 'errore senza messaggio' : text.slice(0, 200);
}

function tsToIso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | undefined {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return undefined;
  const seconds = Number(ts.seconds);
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

export async function workerStatus(deps: SupervisionDeps, settings: SupervisionSettings, now: Date): Promise<WorkerStatus> {
  return (await pollers(deps, settings, now)).status;
}

/** The task queue's workers, and the deployment versions (`name:buildId`) that live ones poll as. */
async function pollers(deps: SupervisionDeps, settings: SupervisionSettings, now: Date): Promise<{ status: WorkerStatus; versions: string[] }> {
  const response = await deps.connection.workflowService.describeTaskQueue({
    namespace: deps.namespace,
    taskQueue: { name: deps.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const isFresh = (t: string) => now.getTime() - Date.parse(t) <= settings.pollerStaleSeconds * 1000;
  const seen = (response.pollers ?? []).map((p) => tsToIso(p.lastAccessTime)).filter((t): t is string => t !== undefined).sort();
  const lastSeenAt = seen[seen.length - 1] ?? null;
  const fresh = seen.filter(isFresh);
  const versions = (response.pollers ?? []).flatMap((p) => {
    const at = tsToIso(p.lastAccessTime);
    const v = p.deploymentOptions;
    return at && isFresh(at) && v?.deploymentName && v.buildId ? [`${v.deploymentName}:${v.buildId}`] : [];
  });
  return { status: { taskQueue: deps.taskQueue, polling: fresh.length > 0, pollers: fresh.length, lastSeenAt }, versions };
}

async function mapLimit<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return out;
}

const ENDED = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED', 'COMPLETED', 'CONTINUED_AS_NEW']);

async function temporalReasons(deps: SupervisionDeps, c: CaseRow, workers: { status: WorkerStatus; versions: string[] }): Promise<StuckReason[]> {
  const since = c.lastProgressAt.toISOString();
  let description;
  try {
    description = await deps.client.workflow.getHandle(caseWorkflowId(c.id)).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      return [{ kind: 'workflow_failed', since, detail: 'Workflow del caso non trovato in Temporal', suggestedActions: ['fix_and_reset', 'cancel'] }];
    }
    throw err;
  }
  const reasons: StuckReason[] = [];
  const status = description.status.name;
  if (ENDED.has(status) && status !== 'CONTINUED_AS_NEW') {
    reasons.push({
      kind: 'workflow_failed',
      since: description.closeTime?.toISOString() ?? since,
      detail: `Il workflow è terminato (${status}) ma il caso risulta aperto`,
      suggestedActions: ['fix_and_reset'],
    });
    return reasons;
  }
  // A case pinned to a worker deployment version (docs/versioning.md) only moves on a worker of
  // that version: other versions polling the queue do not help it.
  const versioning = description.raw.workflowExecutionInfo?.versioningInfo;
  const pinned = versioning?.behavior === temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED ? versioning.deploymentVersion : undefined;
  const pinnedKey = pinned?.deploymentName && pinned.buildId ? `${pinned.deploymentName}:${pinned.buildId}` : undefined;
  if (pinnedKey && workers.status.polling && !workers.versions.includes(pinnedKey)) {
    reasons.push({
      kind: 'no_worker',
      since,
      detail: `Nessun worker in ascolto per la versione ${pinnedKey} a cui il caso è vincolato`,
      suggestedActions: ['check_worker'],
    });
  }
  const wfTask = description.raw.pendingWorkflowTask;
  if (wfTask && (wfTask.attempt ?? 0) > 1) {
    reasons.push({
      kind: 'workflow_task_failing',
      since: tsToIso(wfTask.originalScheduledTime) ?? since,
      detail: `Il codice del workflow fallisce (tentativo ${wfTask.attempt}): probabile modifica non compatibile`,
      attempt: wfTask.attempt ?? undefined,
      suggestedActions: ['fix_and_reset'],
    });
  }
  for (const a of description.raw.pendingActivities ?? []) {
    if ((a.attempt ?? 0) <= 1) continue;
    reasons.push({
      kind: 'activity_failing',
      since,
      detail: `L'attività ${a.activityType?.name ?? '?'} fallisce e viene ritentata (tentativo ${a.attempt})`,
      activityType: a.activityType?.name ?? undefined,
      attempt: a.attempt ?? undefined,
      lastError: sanitiseFailure(a.lastFailure?.message),
      suggestedActions: ['check_worker'],
    });
  }
  return reasons;
}

/**
 * What Temporal says about the running cases: worker pollers and, per case, the reasons found by
 * describing its workflow. It costs one RPC per case, so it is cached (see TemporalScanCache).
 */
export interface TemporalScan {
  at: number;
  workers: { status: WorkerStatus; versions: string[] };
  running: CaseRow[];
  reasons: Array<{ c: CaseRow; found: StuckReason[] }>;
}

export async function scanTemporal(deps: SupervisionDeps, settings: SupervisionSettings, now = new Date()): Promise<TemporalScan> {
  const [workers, running] = await Promise.all([
    pollers(deps, settings, now),
    deps.prisma.case.findMany({
      where: { status: { not: 'closed' } },
      select: CASE_SELECT,
      orderBy: { lastProgressAt: 'asc' },
      take: settings.describeLimit,
    }),
  ]);
  const reasons = await mapLimit(running, settings.describeConcurrency, async (c) => ({ c, found: await temporalReasons(deps, c, workers) }));
  return { at: now.getTime(), workers, running, reasons };
}

/** The class and code of a scan failure (gRPC status name for Temporal errors), never its message. */
export function scanError(err: unknown): ScanError {
  const name = err instanceof Error ? err.name : typeof err;
  let code: unknown;
  for (let e: unknown = err, depth = 0; e && depth < 4 && code === undefined; depth++) {
    code = (e as { code?: unknown }).code;
    e = (e as { cause?: unknown }).cause;
  }
  if (typeof code === 'number') code = GRPC_STATUS[code] ?? String(code);
  return { class: name, ...(typeof code === 'string' && /^[A-Z0-9_]{1,40}$/i.test(code) && { code }) };
}

const GRPC_STATUS: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

export class ScanTimeoutError extends Error {
  constructor(ms: number) {
    super(`Temporal scan took longer than ${ms} ms`);
    this.name = 'ScanTimeoutError';
  }
}

/**
 * Stale-while-revalidate cache of the Temporal scan: the first request waits for a scan; later
 * ones answer from the last scan at once and, when it is older than `maxAgeMs`, start one new scan
 * in the background (never two at a time). A scan older than `hardMaxAgeMs` is not served
 * without waiting for the new one first. Every scan is bounded by `timeoutMs`. A failed scan is
 * not hidden: `status` says since when scans fail, with the error's class and code.
 */
export class TemporalScanCache {
  private last?: TemporalScan;
  private inflight?: Promise<TemporalScan>;
  private lastFailure?: { since: number; error: ScanError };
  private readonly hardMaxAgeMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly maxAgeMs: number,
    opts: { hardMaxAgeMs?: number; timeoutMs?: number } = {},
  ) {
    this.hardMaxAgeMs = opts.hardMaxAgeMs ?? Math.max(maxAgeMs * 2, maxAgeMs + 1);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async get(scan: () => Promise<TemporalScan>, now = Date.now()): Promise<{ scan?: TemporalScan; status: ScanStatus }> {
    const stale = !this.last || now - this.last.at > this.maxAgeMs;
    if (stale) {
      const refreshing = this.refresh(scan, now);
      if (!this.last || now - this.last.at > this.hardMaxAgeMs) await refreshing.catch(() => undefined);
      else refreshing.catch(() => undefined);
    }
    return { scan: this.last, status: this.status() };
  }

  status(): ScanStatus {
    const lastSuccessAt = this.last ? new Date(this.last.at).toISOString() : null;
    if (!this.lastFailure) return { ok: true, lastSuccessAt };
    return { ok: false, lastSuccessAt, failingSince: new Date(this.lastFailure.since).toISOString(), error: this.lastFailure.error };
  }

  private refresh(scan: () => Promise<TemporalScan>, now: number): Promise<TemporalScan> {
    if (this.inflight) return this.inflight;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ScanTimeoutError(this.timeoutMs)), this.timeoutMs);
    });
    this.inflight = Promise.race([scan(), timeout])
      .then(
        (result) => {
          this.last = result;
          this.lastFailure = undefined;
          return result;
        },
        (err: unknown) => {
          this.lastFailure = { since: this.lastFailure?.since ?? now, error: scanError(err) };
          throw err;
        },
      )
      .finally(() => {
        clearTimeout(timer);
        this.inflight = undefined;
      });
    return this.inflight;
  }
}

/** One row of the stuck-case query: a case, its earliest `since` and which read-model reasons hold. */
interface StuckRow {
  caseId: string | null;
  since: string | null;
  idle: boolean | null;
  lateHandover: boolean | null;
  startPending: boolean | null;
  noWorker: boolean | null;
  persistenceFailed: boolean | null;
  total: bigint | number;
}

export interface StuckPage {
  limit: number;
  offset: number;
}

/**
 * The stuck cases, oldest first, one page at a time. One SQL statement gathers every reason's
 * (case, since) pair: overdue tasks, idle cases and late handovers from the read model, plus the
 * cached Temporal reasons passed in as arrays. It groups them by case, counts them and returns
 * the requested page. Only that page's cases and overdue tasks are then read. The cost follows
 * the number of stuck cases (index scans), not the number of cases.
 */
export async function findStuckCases(
  deps: SupervisionDeps,
  settings: SupervisionSettings,
  page: StuckPage = { limit: 100, offset: 0 },
  now = new Date(),
  cache?: TemporalScanCache,
  /** Only the cases of these Ambiti (a coordinator's); undefined: every case (admin). */
  ambitoIds?: readonly string[],
): Promise<StuckReportPage> {
  const { prisma } = deps;
  let scan: TemporalScan | undefined;
  let scanStatus: ScanStatus;
  if (cache) {
    ({ scan, status: scanStatus } = await cache.get(() => scanTemporal(deps, settings, now), now.getTime()));
  } else {
    try {
      scan = await scanTemporal(deps, settings, now);
      scanStatus = { ok: true, lastSuccessAt: new Date(scan.at).toISOString() };
    } catch (err) {
      scanStatus = { ok: false, lastSuccessAt: null, failingSince: now.toISOString(), error: scanError(err) };
    }
  }
  // Worker pollers are a fact about the task queue, not a case: only a current scan tells it.
  const worker = scanStatus.ok && scan ? scan.workers.status : null;
  const noWorker = worker !== null && !worker.polling;
  const described = scan?.reasons ?? [];

  // What describing each case in Temporal found (the last good scan's, when the scan fails).
  const fromTemporal = new Map<string, { c: CaseRow; reasons: StuckReason[] }>();
  const addTemporal = (c: CaseRow, reason: StuckReason) => {
    const entry = fromTemporal.get(c.id) ?? { c, reasons: [] };
    entry.reasons.push(reason);
    fromTemporal.set(c.id, entry);
  };
  for (const { c, found } of described) for (const r of found) addTemporal(c, r);
  const temporalIds = [...fromTemporal.keys()];
  const temporalSince = temporalIds.map((id) => earliest(fromTemporal.get(id)?.reasons ?? []) ?? now.toISOString());

  // Timestamps travel as ISO text and become UTC `timestamp(3)`, the columns' type.
  const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const idleRanges = Prisma.join(
    STEPS.map((step) => Prisma.sql`(c.step = ${step} AND c."lastProgressAt" < ${utc(new Date(now.getTime() - settings.stepAllowanceMinutes[step] * MINUTE))})`),
    ' OR ',
  );
  // No worker polls the queue: every running case is stuck (index on status), not a capped subset.
  const lastSeen = worker?.lastSeenAt ? utc(new Date(worker.lastSeenAt)) : Prisma.sql`NULL::timestamp(3)`;
  // The scope is applied in every branch (each on its own index), never as a filter over all the
  // Ambito's cases afterwards; a task carries its case's Ambito (`Task.ambitoId`, trigger-kept).
  const ambiti = ambitoIds === undefined ? undefined : [...ambitoIds];
  const caseIn = ambiti === undefined ? Prisma.empty : Prisma.sql`AND c."ambitoId" = ANY(${ambiti}::text[])`;
  const taskIn = ambiti === undefined ? Prisma.empty : Prisma.sql`AND t."ambitoId" = ANY(${ambiti}::text[])`;
  const idIn = (id: Prisma.Sql) =>
    ambiti === undefined ? Prisma.empty : Prisma.sql`AND EXISTS (SELECT 1 FROM "Case" c WHERE c.id = ${id} AND c."ambitoId" = ANY(${ambiti}::text[]))`;
  const noWorkerBranch = noWorker
    ? Prisma.sql`UNION ALL
      SELECT c.id COLLATE "C", GREATEST(c."lastProgressAt", ${lastSeen}), 16 FROM "Case" c
        WHERE c.status IN (${Prisma.join(RUNNING_STATUSES)}) ${caseIn}`
    : Prisma.empty;
  const query = prisma.$queryRaw<StuckRow[]>`
    WITH reasons (case_id, since, kind) AS (
      SELECT t."caseId" COLLATE "C", t."dueAt", 1 FROM "Task" t
        WHERE t.status IN (${Prisma.join(ACTIVE_TASK)}) AND t."dueAt" <= ${utc(now)} ${taskIn}
      UNION ALL
      SELECT c.id COLLATE "C", c."lastProgressAt", 2 FROM "Case" c
        WHERE c.status IN (${Prisma.join(IDLE_STATUSES)}) AND (${idleRanges}) ${caseIn}
      UNION ALL
      SELECT c.id COLLATE "C", c."handoverAt", 4 FROM "Case" c
        WHERE c.status = 'awaiting_handover' AND c."handoverAt" < ${utc(new Date(now.getTime() - settings.handoverGraceMinutes * MINUTE))} ${caseIn}
      UNION ALL
      SELECT c.id COLLATE "C", c."persistenceFailedAt", 32 FROM "Case" c
        WHERE c."persistenceFailedAt" IS NOT NULL ${caseIn}
      UNION ALL
      SELECT s."caseId" COLLATE "C", s."createdAt", 8 FROM "CaseWorkflowStart" s
        WHERE s."createdAt" < ${utc(new Date(now.getTime() - START_PENDING_MINUTES * MINUTE))} ${idIn(Prisma.sql`s."caseId"`)}
      UNION ALL
      SELECT r.case_id COLLATE "C", (r.since AT TIME ZONE 'UTC')::timestamp(3), 64
        FROM unnest(${temporalIds}::text[], ${temporalSince}::timestamptz[]) AS r (case_id, since) WHERE true ${idIn(Prisma.sql`r.case_id`)}
      ${noWorkerBranch}
    ), stuck AS (
      -- One bit per kind (1 task, 2 idle, 4 late handover, 8 start pending, 16 no worker,
      -- 32 persistence failed, 64 Temporal): two aggregates per case, however many kinds.
      SELECT case_id, min(since) AS since, bit_or(kind) AS kinds FROM reasons GROUP BY case_id
    )
    SELECT p.case_id AS "caseId", to_char(p.since, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since, (p.kinds & 2) <> 0 AS idle,
      (p.kinds & 4) <> 0 AS "lateHandover", (p.kinds & 8) <> 0 AS "startPending", (p.kinds & 16) <> 0 AS "noWorker",
      (p.kinds & 32) <> 0 AS "persistenceFailed", n.total
    FROM (SELECT count(*) AS total FROM stuck) n
    LEFT JOIN LATERAL (SELECT * FROM stuck ORDER BY since, case_id LIMIT ${page.limit} OFFSET ${page.offset}) p ON true`;
  const rows = await query;
  const total = Number(rows[0]?.total ?? 0);
  const pageRows = rows.filter((r): r is StuckRow & { caseId: string; since: string } => r.caseId !== null && r.since !== null);
  const ids = pageRows.map((r) => r.caseId);

  const [caseRows, overdueTasks] = await Promise.all([
    prisma.case.findMany({ where: { id: { in: ids } }, select: CASE_SELECT }),
    prisma.task.findMany({
      where: { caseId: { in: ids }, status: { in: ACTIVE_TASK }, dueAt: { lte: now } },
      select: { id: true, caseId: true, type: true, status: true, dueAt: true },
      orderBy: { dueAt: 'asc' },
    }),
  ]);
  const byId = new Map(caseRows.map((c) => [c.id, c]));
  const items = pageRows.flatMap((row): StuckCase[] => {
    const c = byId.get(row.caseId) ?? fromTemporal.get(row.caseId)?.c;
    if (!c) return [];
    const reasons: StuckReason[] = overdueTasks
      .filter((t) => t.caseId === c.id && t.dueAt)
      .map((t) => ({
        kind: 'task_overdue',
        since: (t.dueAt as Date).toISOString(),
        detail: t.status === 'open' ? `Attività ${t.type} scaduta e non presa in carico` : `Attività ${t.type} scaduta, assegnata ma non completata`,
        taskId: t.id,
        taskType: t.type,
        suggestedActions: ['reassign', 'escalate', 'add_note'],
      }));
    if (row.idle) {
      reasons.push({
        kind: 'no_progress',
        since: c.lastProgressAt.toISOString(),
        detail: `Nessun avanzamento nella fase ${c.step} oltre i ${settings.stepAllowanceMinutes[c.step as keyof SupervisionSettings['stepAllowanceMinutes']] ?? '?'} minuti previsti`,
        suggestedActions: ['escalate', 'add_note', 'cancel'],
      });
    }
    if (row.persistenceFailed && c.persistenceFailedAt) {
      reasons.push({
        kind: 'persistence_failed',
        since: c.persistenceFailedAt.toISOString(),
        detail: `Salvataggio nell’archivio non riuscito (${c.persistenceError ?? 'errore sconosciuto'}): il caso non accetta modifiche. Correggere la causa, poi riprovare il salvataggio`,
        suggestedActions: ['retry_persistence'],
      });
    }
    if (row.lateHandover) {
      reasons.push({
        kind: 'no_progress',
        since: (c.handoverAt ?? c.lastProgressAt).toISOString(),
        detail: 'Ora del passaggio di consegne superata senza attività di presa visione',
        suggestedActions: ['check_worker', 'add_note'],
      });
    }
    if (row.startPending) {
      reasons.push({
        kind: 'workflow_not_started',
        since: row.since,
        detail: 'Caso registrato ma il suo workflow non è ancora partito (motore dei workflow irraggiungibile?)',
        suggestedActions: ['check_worker'],
      });
    }
    if (row.noWorker && worker) {
      const since = worker.lastSeenAt && worker.lastSeenAt > c.lastProgressAt.toISOString() ? worker.lastSeenAt : c.lastProgressAt.toISOString();
      reasons.push({
        kind: 'no_worker',
        since,
        detail: `Nessun worker in ascolto sulla coda ${worker.taskQueue}`,
        suggestedActions: ['check_worker'],
      });
    }
    reasons.push(...(fromTemporal.get(c.id)?.reasons ?? []));
    reasons.sort((a, b) => a.since.localeCompare(b.since));
    const since = reasons[0]?.since ?? row.since;
    return [
      {
        caseId: c.id,
        reference: c.reference,
        status: c.status,
        step: c.step,
        comuneCode: c.competentComuneCode ?? c.eventComuneCode,
        riskLevel: c.riskLevel,
        since,
        stuckForMinutes: Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / MINUTE)),
        reasons,
      },
    ];
  });
  return {
    generatedAt: now.toISOString(),
    temporalCheckedAt: scanStatus.lastSuccessAt,
    temporalScan: scanStatus,
    worker,
    described: scan?.running.length ?? 0,
    total,
    limit: page.limit,
    offset: page.offset,
    items,
  };
}

function earliest(reasons: StuckReason[]): string | undefined {
  return reasons.map((r) => r.since).sort()[0];
}
