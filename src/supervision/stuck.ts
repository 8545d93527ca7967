import type { Client, Connection } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PrismaClient } from '../generated/prisma/client';
import type { Prisma } from '../generated/prisma/client';
import { CASE_STATUSES, caseWorkflowId, STEPS } from '../workflows/definitions';
import type { SupervisionSettings } from './settings';

/**
 * Stuck cases, as a supervisor sees them (docs/product.md "What stuck means"): a task past its
 * due time; no progress for longer than the step allows; an activity failing or retrying; the
 * workflow task failing or the workflow ended without closing the case; no worker polling the
 * task queue. The read model answers the first two with indexed queries; Temporal answers the rest
 * (DescribeTaskQueue once, DescribeWorkflowExecution for a bounded number of running cases).
 */

export type StuckKind = 'task_overdue' | 'no_progress' | 'activity_failing' | 'workflow_task_failing' | 'workflow_failed' | 'no_worker';

export type SuggestedAction = 'reassign' | 'escalate' | 'add_note' | 'cancel' | 'check_worker' | 'fix_and_reset';

export interface StuckReason {
  kind: StuckKind;
  since: string;
  /** Italian, for the supervisor; codes and counts only, no personal data. */
  detail: string;
  suggestedActions: SuggestedAction[];
  taskId?: string;
  taskType?: string;
  activityType?: string;
  attempt?: number;
  lastError?: string;
}

export interface StuckCase {
  caseId: string;
  reference: string;
  status: string;
  step: string;
  comuneCode: string;
  riskLevel: string | null;
  /** The earliest `since` of its reasons. */
  since: string;
  stuckForMinutes: number;
  reasons: StuckReason[];
}

export interface WorkerStatus {
  taskQueue: string;
  polling: boolean;
  pollers: number;
  lastSeenAt: string | null;
}

export interface StuckReport {
  generatedAt: string;
  /** When Temporal was last asked (worker pollers, workflow and activity failures). */
  temporalCheckedAt: string;
  worker: WorkerStatus;
  /** Running cases checked against Temporal (at most `describeLimit`, stalest first). */
  described: number;
  items: StuckCase[];
}

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
const MINUTE = 60_000;
const ROW_LIMIT = 1000;
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

/**
 * Stale-while-revalidate cache of the Temporal scan: the first request waits for a scan; later
 * ones answer from the last scan at once and, when it is older than `maxAgeMs`, start one new scan
 * in the background (never two at a time). The supervisor's list stays fast at any number of
 * cases, and the report says how old the Temporal part is.
 */
export class TemporalScanCache {
  private last?: TemporalScan;
  private inflight?: Promise<TemporalScan>;

  constructor(private readonly maxAgeMs: number) {}

  async get(scan: () => Promise<TemporalScan>, now = Date.now()): Promise<TemporalScan> {
    if (!this.last) return this.refresh(scan);
    if (now - this.last.at > this.maxAgeMs && !this.inflight) {
      // A failed background scan keeps the previous one; the next request tries again.
      this.refresh(scan).catch(() => undefined);
    }
    return this.last;
  }

  private refresh(scan: () => Promise<TemporalScan>): Promise<TemporalScan> {
    this.inflight ??= scan()
      .then((result) => {
        this.last = result;
        return result;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}

export async function findStuckCases(
  deps: SupervisionDeps,
  settings: SupervisionSettings,
  now = new Date(),
  cache?: TemporalScanCache,
): Promise<StuckReport> {
  const { prisma } = deps;
  const stepAllowance = STEPS.map((step) => ({
    step,
    lastProgressAt: { lt: new Date(now.getTime() - settings.stepAllowanceMinutes[step] * MINUTE) },
  }));

  const [overdueTasks, idleCases, lateHandovers, scan] = await Promise.all([
    prisma.task.findMany({
      where: { status: { in: ACTIVE_TASK }, dueAt: { lte: now } },
      select: { id: true, caseId: true, type: true, status: true, dueAt: true, assigneeId: true },
      orderBy: { dueAt: 'asc' },
      take: ROW_LIMIT,
    }),
    prisma.case.findMany({
      // IN (not NOT IN) and one range per step: the (step, lastProgressAt) index answers it.
      where: { status: { in: IDLE_STATUSES }, OR: stepAllowance },
      select: CASE_SELECT,
      orderBy: { lastProgressAt: 'asc' },
      take: ROW_LIMIT,
    }),
    prisma.case.findMany({
      where: { status: 'awaiting_handover', handoverAt: { lt: new Date(now.getTime() - settings.handoverGraceMinutes * MINUTE) } },
      select: CASE_SELECT,
      orderBy: { handoverAt: 'asc' },
      take: ROW_LIMIT,
    }),
    cache ? cache.get(() => scanTemporal(deps, settings, now), now.getTime()) : scanTemporal(deps, settings, now),
  ]);
  const { workers, running, reasons: described } = scan;
  const worker = workers.status;
  const cases = new Map<string, CaseRow>();
  const reasons = new Map<string, StuckReason[]>();
  const add = (c: CaseRow, reason: StuckReason) => {
    cases.set(c.id, c);
    reasons.set(c.id, [...(reasons.get(c.id) ?? []), reason]);
  };

  const taskCaseIds = [...new Set(overdueTasks.map((t) => t.caseId))];
  const taskCases = new Map(
    (await prisma.case.findMany({ where: { id: { in: taskCaseIds } }, select: CASE_SELECT })).map((c) => [c.id, c]),
  );
  for (const t of overdueTasks) {
    const c = taskCases.get(t.caseId);
    if (!c || !t.dueAt) continue;
    add(c, {
      kind: 'task_overdue',
      since: t.dueAt.toISOString(),
      detail: t.status === 'open' ? `Attività ${t.type} scaduta e non presa in carico` : `Attività ${t.type} scaduta, assegnata ma non completata`,
      taskId: t.id,
      taskType: t.type,
      suggestedActions: t.status === 'open' ? ['reassign', 'escalate', 'add_note'] : ['reassign', 'escalate', 'add_note'],
    });
  }
  for (const c of idleCases) {
    add(c, {
      kind: 'no_progress',
      since: c.lastProgressAt.toISOString(),
      detail: `Nessun avanzamento nella fase ${c.step} oltre i ${settings.stepAllowanceMinutes[c.step as keyof SupervisionSettings['stepAllowanceMinutes']] ?? '?'} minuti previsti`,
      suggestedActions: ['escalate', 'add_note', 'cancel'],
    });
  }
  for (const c of lateHandovers) {
    add(c, {
      kind: 'no_progress',
      since: (c.handoverAt ?? c.lastProgressAt).toISOString(),
      detail: 'Ora del passaggio di consegne superata senza attività di presa visione',
      suggestedActions: ['check_worker', 'add_note'],
    });
  }
  if (!worker.polling) {
    for (const c of running) {
      add(c, {
        kind: 'no_worker',
        since: worker.lastSeenAt ?? c.lastProgressAt.toISOString(),
        detail: `Nessun worker in ascolto sulla coda ${worker.taskQueue}`,
        suggestedActions: ['check_worker'],
      });
    }
  }
  for (const { c, found } of described) for (const r of found) add(c, r);

  const items = [...cases.values()].map((c): StuckCase => {
    const rs = (reasons.get(c.id) ?? []).sort((a, b) => a.since.localeCompare(b.since));
    const since = rs[0]?.since ?? c.lastProgressAt.toISOString();
    return {
      caseId: c.id,
      reference: c.reference,
      status: c.status,
      step: c.step,
      comuneCode: c.competentComuneCode ?? c.eventComuneCode,
      riskLevel: c.riskLevel,
      since,
      stuckForMinutes: Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / MINUTE)),
      reasons: rs,
    };
  });
  items.sort((a, b) => a.since.localeCompare(b.since) || a.reference.localeCompare(b.reference));
  return {
    generatedAt: now.toISOString(),
    temporalCheckedAt: new Date(scan.at).toISOString(),
    worker,
    described: running.length,
    items,
  };
}
