import { Prisma } from '../generated/prisma/client';

export interface AdminChangeEntry {
  actorId: string;
  /** What was changed, e.g. "comune_calendar", "resource", "user", "protocol_settings". */
  entity: string;
  entityId: string;
  /** The record before and after the change; null for a creation or a removal. Never a secret. */
  before: unknown;
  after: unknown;
}

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

/** Records one administration change; call it inside the transaction that makes the change. */
export async function recordAdminChange(tx: Prisma.TransactionClient, entry: AdminChangeEntry): Promise<void> {
  await tx.adminChange.create({
    data: { actorId: entry.actorId, entity: entry.entity, entityId: entry.entityId, before: json(entry.before), after: json(entry.after) },
  });
}
