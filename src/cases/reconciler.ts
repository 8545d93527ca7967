import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { attach } from '../api/action-requests';
import { loggableError } from '../api/problem';
import type { PrismaClient } from '../generated/prisma/client';
import { drainHandoverRecomputes } from '../admin/handover-recompute';
import { ensureCaseWorkflow } from './intake';
import { startPeriodic } from '../runtime/periodic';

/**
 * Runs in the worker, at start and then every RECONCILE_INTERVAL_SECONDS:
 * - starts the workflow of every case whose start is still pending (the intake outbox
 *   CaseWorkflowStart: Temporal was down, or the API died between the two writes); the start is
 *   idempotent, so racing the API is harmless;
 * - drives pending action requests (answered 202) to their outcome: the update is sent again with
 *   its update id, so Temporal attaches to the one it already has or admits it if it never
 *   arrived; the outcome is stored for GET /api/requests/:id;
 * - sends the handover recomputes of office calendar changes still in their outbox
 *   (HandoverRecompute, src/admin/handover-recompute.ts).
 */

export interface ReconcilerDeps {
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  logger: Logger;
}

export interface ReconcileResult {
  started: number;
  startFailed: number;
  resolved: number;
  stillPending: number;
  /** Calendar changes whose waiting cases were all signalled in this pass. */
  handoverRecomputes: number;
}

const BATCH = 200;
/** A pending request younger than this is probably still being waited for by the API. */
const REQUEST_MIN_AGE_MS = 10_000;
const REQUEST_WAIT_MS = 5000;

export async function reconcileOnce(deps: ReconcilerDeps, opts: { requestMinAgeMs?: number } = {}): Promise<ReconcileResult> {
  const result: ReconcileResult = { started: 0, startFailed: 0, resolved: 0, stillPending: 0, handoverRecomputes: 0 };
  const starts = await deps.prisma.caseWorkflowStart.findMany({ orderBy: { createdAt: 'asc' }, take: BATCH });
  for (const s of starts) {
    try {
      await ensureCaseWorkflow(deps, s.caseId);
      result.started += 1;
    } catch (err) {
      result.startFailed += 1;
      const cls = loggableError(err);
      deps.logger.warn({ err: cls, caseId: s.caseId }, 'case workflow start failed; will retry');
      await deps.prisma.caseWorkflowStart
        .update({ where: { caseId: s.caseId }, data: { attempts: { increment: 1 }, lastAttemptAt: new Date(), lastError: String(cls.type) } })
        .catch(() => undefined);
    }
  }
  const minAge = opts.requestMinAgeMs ?? REQUEST_MIN_AGE_MS;
  const pending = await deps.prisma.actionRequest.findMany({
    where: { status: 'pending', createdAt: { lte: new Date(Date.now() - minAge) } },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  for (const row of pending) {
    try {
      const outcome = await attach(deps, row, REQUEST_WAIT_MS);
      if (outcome.kind === 'pending') result.stillPending += 1;
      else result.resolved += 1;
    } catch {
      // A final failure of the action: `attach` stored it.
      result.resolved += 1;
    }
  }
  result.handoverRecomputes = (await drainHandoverRecomputes(deps)).changes;
  if (result.started + result.startFailed + result.resolved + result.stillPending + result.handoverRecomputes > 0) deps.logger.info(result, 'reconciler pass');
  return result;
}

/** Runs `reconcileOnce` now and every `intervalSeconds`; the returned function stops it (and waits for a pass in flight). */
export function startReconciler(deps: ReconcilerDeps, intervalSeconds: number): () => Promise<void> {
  return startPeriodic('reconciler pass', () => reconcileOnce(deps), deps.logger, intervalSeconds);
}
