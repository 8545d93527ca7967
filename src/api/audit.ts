import type { Logger } from 'pino';
import type { Prisma } from '../generated/prisma/client';
import type { Actor } from '../domain';
import { loggableError } from './problem';

/**
 * Audit trail of every read of a case file and every action: who (user id and role), what
 * (action name), which case, outcome, request id. No personal data: ids and codes only. A case
 * id is recorded only when it has the shape of one (a URL segment could carry anything).
 */

/** `accepted`: a 202, the action is registered and its outcome pending. */
export type AuditOutcome = 'success' | 'accepted' | 'denied' | 'not_found' | 'rejected' | 'conflict' | 'error';

export interface AuditEntry {
  actor: Pick<Actor, 'userId' | 'role'> | { userId: string; role: 'anonymous' };
  action: string;
  caseId?: string;
  outcome: AuditOutcome;
  requestId?: string;
}

const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function outcomeForStatus(status: number): AuditOutcome {
  if (status === 202) return 'accepted';
  if (status < 400) return 'success';
  if (status === 401 || status === 403) return 'denied';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status < 500) return 'rejected';
  return 'error';
}

/**
 * Writes one audit row; `prisma` may be a transaction, so the row commits with the action it
 * records. A plain INSERT: it runs on every request, and needs neither a query plan from the
 * client nor the row back.
 */
export async function recordAudit(prisma: Pick<Prisma.TransactionClient, '$executeRaw'>, entry: AuditEntry): Promise<void> {
  const caseId = entry.caseId !== undefined && CASE_ID.test(entry.caseId) ? entry.caseId : null;
  await prisma.$executeRaw`
    INSERT INTO "AuditEvent" ("userId", role, action, "caseId", outcome, "requestId")
    VALUES (${entry.actor.userId}, ${entry.actor.role}, ${entry.action}, ${caseId}, ${entry.outcome}, ${entry.requestId ?? null})`;
}

/** For failure paths: the audit must not hide the original error, so its own failure is logged. */
export async function recordAuditQuietly(prisma: Pick<Prisma.TransactionClient, '$executeRaw'>, entry: AuditEntry, logger: Logger): Promise<void> {
  try {
    await recordAudit(prisma, entry);
  } catch (err) {
    logger.error({ err: loggableError(err), action: entry.action }, 'audit write failed');
  }
}
