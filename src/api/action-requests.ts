import { createHash, randomUUID } from 'node:crypto';
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Logger } from 'pino';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Actor } from '../domain';
import type { CaseView } from '../workflows/definitions';
import { caseStateOf } from './routes/views';
import { loggableError, ProblemError, type ProblemFieldError } from './problem';
import { temporalProblem } from './temporal-errors';
import { releaseRequestHolds } from '../resources/holds';

/**
 * Idempotent, honest workflow actions. Every mutating request has a request id: its
 * Idempotency-Key (or one made here). Before the update is sent, an ActionRequest row records it,
 * so a 202 always points to something; the Temporal update id is derived from the key, so a
 * retry attaches to the same update (the server deduplicates it) instead of applying it twice.
 *
 * - answered within the wait: the final answer (200 with the new state, or the problem), stored;
 * - not answered in time (worker slow or away, update admitted and kept by Temporal): 202 pending,
 *   resolved by GET /api/requests/:id, by a retry with the same key, or by the worker's reconciler;
 * - Temporal unreachable before anything was sent: 503, the row is removed, nothing happened.
 */

export type RequestStatus = 'pending' | 'succeeded' | 'failed';

export interface ActionSpec {
  /** The audited action name, e.g. `task.complete`. */
  action: string;
  caseId: string;
  taskId?: string;
  workflowId: string;
  updateName: string;
  args: unknown[];
  /** The client's body as validated (before server defaults): hashed to detect key reuse. */
  body: unknown;
  /**
   * Runs once, on the first send, after the request row exists and just before the update goes
   * out (e.g. holding resource units, src/resources/holds.ts). Throwing answers with that error
   * and forgets the request: nothing was sent.
   */
  beforeSend?: (requestId: string) => Promise<void>;
}

export interface ActionDeps {
  prisma: PrismaClient;
  client: Client;
  logger: Logger;
  /** How long to wait for the workflow's answer before answering 202. */
  waitMs: number;
  /** Starts the case workflow when its start is still pending (intake outbox); throws when it cannot. */
  ensureStarted?: (caseId: string) => Promise<void>;
}

export type ActionOutcome =
  | { kind: 'done'; requestId: string; status: number; body: unknown }
  | { kind: 'pending'; requestId: string };

/** Reachability probe before anything is sent: short, so an unreachable Temporal is a quick 503. */
const PROBE_TIMEOUT_MS = 2000;

export function pollUrl(requestId: string): string {
  return `/api/requests/${requestId}`;
}

export function pendingBody(requestId: string) {
  return { status: 'pending' as const, requestId, pollUrl: pollUrl(requestId), detail: 'Registrato, in attesa di conferma' };
}

/** What an action answers: the new state and the case's open tasks (read-your-writes). */
export function actionResultBody(view: CaseView) {
  const state = caseStateOf(view);
  return {
    ...state,
    nextTasks: state.tasks
      .filter((t) => t.status === 'open' || t.status === 'claimed')
      .map((t) => ({ id: t.id, type: t.type, label: t.label, status: t.status, candidateRole: t.candidateRole, comuneCode: t.comuneCode, assigneeId: t.assigneeId })),
  };
}

function bodyHash(spec: ActionSpec): string {
  return createHash('sha256').update(JSON.stringify([spec.action, spec.caseId, spec.taskId ?? null, spec.body])).digest('hex');
}

interface StoredProblem {
  title: string;
  detail?: string;
  errors?: ProblemFieldError[];
  type: string;
  extensions?: Record<string, unknown>;
}

function storeProblem(p: ProblemError): StoredProblem {
  return { title: p.title, detail: p.detail, errors: p.errors, type: p.type, extensions: p.extensions };
}

/** The stored final answer as the synchronous call gave it (same body and status). */
export function replay(row: { id: string; status: string; httpStatus: number | null; result: unknown }): ActionOutcome {
  if (row.status === 'succeeded') return { kind: 'done', requestId: row.id, status: row.httpStatus ?? 200, body: row.result };
  const p = (row.result ?? {}) as StoredProblem;
  throw new ProblemError(row.httpStatus ?? 500, { title: p.title, detail: p.detail, errors: p.errors, type: p.type, extensions: p.extensions });
}

/** The same Idempotency-Key sent again with another body or for another resource (actions and notes). */
export function idempotencyConflict(): ProblemError {
  return new ProblemError(422, {
    title: 'Idempotency Conflict',
    detail: 'Chiave di idempotenza già usata per una richiesta diversa',
    errors: [{ path: 'Idempotency-Key', message: 'già usata con un altro corpo o su un’altra risorsa' }],
    extensions: { code: 'IDEMPOTENCY_CONFLICT' },
  });
}

function temporalUnavailable(): ProblemError {
  return new ProblemError(503, {
    title: 'Temporal Unavailable',
    detail: 'Il motore dei workflow non è raggiungibile: nulla è stato registrato, riprovare tra poco',
    extensions: { code: 'TEMPORAL_UNAVAILABLE' },
  });
}

function caseStarting(): ProblemError {
  return new ProblemError(409, {
    title: 'Case Starting',
    detail: 'Il caso è in fase di avvio: nulla è stato registrato, riprovare tra poco',
    extensions: { code: 'CASE_STARTING' },
  });
}

/** Runs (or attaches to) the action identified by `actor` + `key`. Throws ProblemError for final failures. */
export async function runAction(deps: ActionDeps, actor: Actor, key: string | undefined, spec: ActionSpec): Promise<ActionOutcome> {
  const idempotencyKey = key ?? randomUUID();
  const hash = bodyHash(spec);
  const where = { userId_idempotencyKey: { userId: actor.userId, idempotencyKey } };
  // Without a client key the request is new by construction: no lookup.
  let row = key === undefined ? null : await deps.prisma.actionRequest.findUnique({ where });
  if (row === null) {
    try {
      row = await deps.prisma.actionRequest.create({
        data: {
          id: randomUUID(),
          userId: actor.userId,
          idempotencyKey,
          action: spec.action,
          caseId: spec.caseId,
          taskId: spec.taskId,
          workflowId: spec.workflowId,
          updateName: spec.updateName,
          updateId: `${spec.action}:${actor.userId}:${idempotencyKey}`,
          args: spec.args as Prisma.InputJsonValue,
          bodyHash: hash,
          status: 'pending',
          // Counts the send that follows (firstSend → attach), in this same write.
          attempts: 1,
        },
      });
    } catch (err) {
      // The same key sent twice at once: one insert wins, the other attaches to it.
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
      row = await deps.prisma.actionRequest.findUniqueOrThrow({ where });
      return reuse(deps, row, hash);
    }
    return firstSend(deps, row, spec.beforeSend);
  }
  return reuse(deps, row, hash);
}

type Row = NonNullable<Awaited<ReturnType<PrismaClient['actionRequest']['findUnique']>>>;

async function reuse(deps: ActionDeps, row: Row, hash: string): Promise<ActionOutcome> {
  if (row.bodyHash !== hash) throw idempotencyConflict();
  if (row.status !== 'pending') return replay(row);
  return attach(deps, row, deps.waitMs);
}

/** A new request: nothing may happen when Temporal cannot be reached, so check before sending. */
async function firstSend(deps: ActionDeps, row: Row, beforeSend: ActionSpec['beforeSend']): Promise<ActionOutcome> {
  const forget = () => deps.prisma.actionRequest.delete({ where: { id: row.id } }).catch(() => undefined);
  if (!recentlyAnswered(deps.client)) {
    try {
      await deps.client.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => deps.client.workflowService.getSystemInfo({}));
    } catch {
      await forget();
      throw temporalUnavailable();
    }
  }
  if (deps.ensureStarted !== undefined && (await deps.prisma.caseWorkflowStart.count({ where: { caseId: row.caseId } })) > 0) {
    try {
      await deps.ensureStarted(row.caseId);
    } catch (err) {
      deps.logger.warn({ err: loggableError(err), caseId: row.caseId }, 'case workflow start before an action failed');
      await forget();
      throw caseStarting();
    }
  }
  if (beforeSend !== undefined) {
    try {
      await beforeSend(row.id);
    } catch (err) {
      await forget();
      throw err;
    }
  }
  return attach(deps, row, deps.waitMs, { counted: true });
}

/**
 * When Temporal last answered an update through this client. Within PROBE_SKIP_MS of an answer the
 * probe is skipped: should Temporal have gone away meanwhile, the update's outcome is unknown and
 * the request answers 202 (the reconciler sends it again, under its update id), never a failure.
 */
const lastAnswer = new WeakMap<Client, number>();
const PROBE_SKIP_MS = 2000;
function recentlyAnswered(client: Client): boolean {
  const at = lastAnswer.get(client);
  return at !== undefined && Date.now() - at < PROBE_SKIP_MS;
}

/**
 * Sends the update with its request's update id (Temporal answers an already admitted or
 * completed update from its record) and waits up to `waitMs` for the outcome.
 */
export async function attach(deps: Pick<ActionDeps, 'prisma' | 'client' | 'logger'>, row: Row, waitMs: number, opts: { counted?: boolean } = {}): Promise<ActionOutcome> {
  if (!opts.counted) await deps.prisma.actionRequest.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } }).catch(() => undefined);
  let outcome: { status: RequestStatus; httpStatus: number; result: unknown; problem?: ProblemError };
  try {
    const view = await deps.client.connection.withDeadline(Date.now() + waitMs, () =>
      deps.client.workflow.getHandle(row.workflowId).executeUpdate<CaseView, [unknown]>(row.updateName, { updateId: row.updateId, args: row.args as [unknown] }),
    );
    lastAnswer.set(deps.client, Date.now());
    outcome = { status: 'succeeded', httpStatus: 200, result: actionResultBody(view) };
  } catch (err) {
    const problem = finalProblem(err);
    if (problem === undefined) {
      // Not answered in time, or Temporal went away after the update may have been sent: the
      // update id makes any later attempt attach to it. Pending is the honest answer.
      deps.logger.info({ err: loggableError(err), requestId: row.id }, 'action pending');
      return { kind: 'pending', requestId: row.id };
    }
    outcome = { status: 'failed', httpStatus: problem.status, result: storeProblem(problem), problem };
  }
  const failed = outcome.status === 'failed';
  const data = { status: outcome.status, httpStatus: outcome.httpStatus, result: outcome.result as Prisma.InputJsonValue, finishedAt: new Date() };
  await (failed
    ? deps.prisma.$transaction(async (tx) => {
        await tx.actionRequest.update({ where: { id: row.id }, data });
        // A rejected completion gives back the resource units held for it, with its final answer.
        await releaseRequestHolds(tx, row.id);
      })
    : deps.prisma.actionRequest.update({ where: { id: row.id }, data }))
    // The change is applied (or rejected): a failed write of its record must not turn it into an error (a later poll stores it).
    .catch((err: unknown) => deps.logger.error({ err: loggableError(err), requestId: row.id }, 'action outcome not stored'));
  if (outcome.problem !== undefined) throw outcome.problem;
  return { kind: 'done', requestId: row.id, status: outcome.httpStatus, body: outcome.result };
}

/** A final answer of the workflow (rejected update, ended workflow), or undefined when the outcome is unknown. */
function finalProblem(err: unknown): ProblemError | undefined {
  if (err instanceof WorkflowUpdateFailedError) {
    return temporalProblem(err) ?? new ProblemError(500, { detail: 'Il workflow ha rifiutato la richiesta per un errore inatteso' });
  }
  const problem = temporalProblem(err);
  // CASE_CLOSED (workflow not found or completed) is final; 503s are not.
  if (problem !== undefined && problem.status !== 503) return problem;
  return undefined;
}
