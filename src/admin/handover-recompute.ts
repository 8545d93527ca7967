import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Logger } from 'pino';
import { describeInstant, nextOpening, type OfficeCalendar } from '../calendar';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { handoverRecomputeSignal } from '../workflows/definitions';

/**
 * Cases follow their Comune's office calendar. A calendar change writes a `HandoverRecompute`
 * row in its own transaction; this drain (right after the commit, and in every reconciler pass,
 * so nothing is lost while Temporal is down) sends each case still waiting for that office a
 * signal with its new opening, computed here from the calendar in PostgreSQL. The row goes once
 * every waiting case has it; the workflow ignores a signal it already applied (same change id).
 */

export interface RecomputeDeps {
  prisma: PrismaClient;
  client: Client;
  logger: Logger;
}

export interface DrainResult {
  changes: number;
  signalled: number;
  failed: number;
}

const BATCH = 50;

export async function enqueueHandoverRecompute(tx: Prisma.TransactionClient, comuneCode: string, reason: string): Promise<string> {
  const id = randomUUID();
  await tx.handoverRecompute.create({ data: { id, comuneCode, reason } });
  return id;
}

/** The cases whose handover to `comuneCode`'s office is still ahead (read model). */
function waitingCases(prisma: PrismaClient, comuneCode: string, now: Date) {
  return prisma.case.findMany({
    where: { competentComuneCode: comuneCode, externalHandover: false, status: 'awaiting_handover', handoverAt: { gt: now } },
    select: { id: true, workflowId: true },
  });
}

export async function drainHandoverRecomputes(deps: RecomputeDeps, only?: string[]): Promise<DrainResult> {
  const result: DrainResult = { changes: 0, signalled: 0, failed: 0 };
  const rows = await deps.prisma.handoverRecompute.findMany({
    where: only === undefined ? {} : { id: { in: only } },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  for (const row of rows) {
    try {
      const comune = await deps.prisma.comune.findUnique({ where: { code: row.comuneCode }, select: { calendar: true } });
      if (comune) {
        const calendar = comune.calendar as unknown as OfficeCalendar;
        const now = new Date();
        const opening = nextOpening(calendar, now.getTime());
        const openingAt = new Date(opening).toISOString();
        const reason = `${row.reason} — prossima apertura: ${describeInstant(calendar, opening)}`;
        for (const c of await waitingCases(deps.prisma, row.comuneCode, now)) {
          try {
            await deps.client.workflow.getHandle(c.workflowId).signal(handoverRecomputeSignal, { changeId: row.id, comuneCode: row.comuneCode, openingAt, reason });
            result.signalled += 1;
          } catch (err) {
            // A case that ended meanwhile has nothing left to move.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
      }
      await deps.prisma.handoverRecompute.delete({ where: { id: row.id } });
      result.changes += 1;
    } catch (err) {
      result.failed += 1;
      const errorClass = err instanceof Error ? err.constructor.name : typeof err;
      deps.logger.warn({ changeId: row.id, comuneCode: row.comuneCode, errorClass }, 'handover recompute not sent; will retry');
      await deps.prisma.handoverRecompute
        .update({ where: { id: row.id }, data: { attempts: { increment: 1 }, lastAttemptAt: new Date(), lastError: errorClass.slice(0, 100) } })
        .catch(() => undefined);
    }
  }
  return result;
}
