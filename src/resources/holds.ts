import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { ProblemError, type ProblemFieldError } from '../api/problem';
import { invalid } from './directory';

/**
 * Units of a resource taken by interventions: how availability follows activations and releases.
 *
 * A resource whose capacity is counted (`Resource.available` not null) gives one unit to each
 * intervention task that activates it, recorded as a `ResourceHold` keyed by task id + resource id:
 *
 * 1. Hold (API, before the complete-task update is sent; `holdUnits`). One transaction per
 *    request: for each resource, the hold row is inserted (or a released one reopened) and
 *    `UPDATE "Resource" SET available = available - 1 WHERE available > 0` must touch the row;
 *    if it does not, the whole transaction rolls back and the request answers 409 naming the
 *    resource. Row locks make this atomic: two operators taking the last bed at once, exactly one
 *    decrement succeeds. The hold carries the ActionRequest id. A hold that already exists for
 *    the task (a retry with the same Idempotency-Key never gets here, it replays its answer; a
 *    second request for the same task does) is reused and takes nothing more.
 * 2. Rejected (the workflow refuses the update: `attach` stores a failed outcome): the holds of
 *    that request still `held` are released in the same transaction and their units given back
 *    (`releaseRequestHolds`). A 202 leaves them held until the request resolves (poll, retry or
 *    the reconciler, all through `attach`).
 * 3. Confirmed (the persistence activity, in the transaction that writes the task's submission
 *    and ResourceActivation rows; `confirmActivation`). The workflow's record is the truth: a
 *    hold the API did not make (a case in flight before this version, or a hold released by a
 *    concurrent rejected request of the same task) is taken here, clamped at 0 since the unit is
 *    already in use. Retries of the activity find the hold confirmed and change nothing.
 * 4. Released: by the operator or coordinator (`releaseHold`, audited) or when the case closes
 *    (`releaseCaseHolds`, in the persistence transaction of the closed snapshot): the unit comes
 *    back, never above the capacity. A released hold is never taken again by the activity, so a
 *    late retry cannot take a bed back from the next person.
 *
 * Manual counts by operators (`setAvailability`) set `available` outright; holds move it from there.
 */

type Tx = Prisma.TransactionClient;

export interface ActivatedResource {
  resourceId: string;
  name: string;
  /** Position in `form.resourcesActivated` (for the error's path). */
  index: number;
  /** Whether availability is counted: only then is a unit held. */
  counted: boolean;
}

interface ActivationEntry {
  resourceId?: string;
  type: string;
}

/**
 * The directory resources an intervention form activates: each must exist, be active, have the
 * form's type and appear once (one unit per task and resource). 422 naming the field otherwise.
 */
export async function activatedResources(db: PrismaClient, entries: readonly ActivationEntry[]): Promise<ActivatedResource[]> {
  const ids = entries.map((e) => e.resourceId).filter((id): id is string => id !== undefined);
  if (ids.length === 0) return [];
  const rows = await db.resource.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, type: true, active: true, available: true } });
  const errors: ProblemFieldError[] = [];
  const out: ActivatedResource[] = [];
  entries.forEach((e, index) => {
    if (e.resourceId === undefined) return;
    const path = `resourcesActivated.${index}.resourceId`;
    const row = rows.find((r) => r.id === e.resourceId);
    if (row === undefined || !row.active) errors.push({ path, message: 'risorsa non presente nella rete o disattivata' });
    else if (row.type !== e.type) errors.push({ path: `resourcesActivated.${index}.type`, message: 'il tipo non corrisponde a quello della risorsa' });
    else if (out.some((o) => o.resourceId === row.id)) errors.push({ path, message: 'risorsa già indicata in questo modulo' });
    else out.push({ resourceId: row.id, name: row.name, index, counted: row.available !== null });
  });
  if (errors.length > 0) throw invalid(errors);
  return out;
}

export function noUnitLeft(r: ActivatedResource): ProblemError {
  return new ProblemError(409, {
    title: 'Resource Unavailable',
    detail: `Nessun posto disponibile: ${r.name}`,
    errors: [{ path: `resourcesActivated.${r.index}.resourceId`, message: 'nessun posto disponibile' }],
    extensions: { code: 'RESOURCE_UNAVAILABLE', resourceId: r.resourceId },
  });
}

export interface HoldSpec {
  taskId: string;
  caseId: string;
  actorId: string;
  requestId: string;
  resources: readonly ActivatedResource[];
}

const giveBack = (tx: Tx, resourceId: string) =>
  tx.$executeRaw`UPDATE "Resource" SET "available" = LEAST("available" + 1, "capacity") WHERE "id" = ${resourceId} AND "available" IS NOT NULL`;

/** Step 1: one unit of each counted resource for the task, or 409 and nothing held. */
export async function holdUnits(prisma: PrismaClient, spec: HoldSpec): Promise<void> {
  const counted = [...spec.resources].filter((r) => r.counted).sort((a, b) => a.resourceId.localeCompare(b.resourceId));
  if (counted.length === 0) return;
  await prisma.$transaction(async (tx) => {
    for (const r of counted) {
      const key = { taskId: spec.taskId, resourceId: r.resourceId };
      const inserted = await tx.resourceHold.createMany({
        data: [{ ...key, caseId: spec.caseId, status: 'held', requestId: spec.requestId, heldById: spec.actorId }],
        skipDuplicates: true,
      });
      if (inserted.count === 0) {
        // Reopen a released hold of this task (a rejected earlier attempt); any other is reused.
        const reopened = await tx.resourceHold.updateMany({
          where: { ...key, status: 'released', releaseReason: 'rejected' },
          data: { status: 'held', requestId: spec.requestId, heldById: spec.actorId, heldAt: new Date(), releasedAt: null, releasedById: null, releaseReason: null },
        });
        if (reopened.count === 0) continue;
      }
      const taken = await tx.resource.updateMany({ where: { id: r.resourceId, available: { gt: 0 } }, data: { available: { decrement: 1 } } });
      if (taken.count === 0) throw noUnitLeft(r);
    }
  });
}

/** Step 2: the request was rejected; its units come back. Call inside the transaction storing the outcome. */
export async function releaseRequestHolds(tx: Tx, requestId: string): Promise<number> {
  const holds = await tx.resourceHold.findMany({ where: { requestId, status: 'held' }, select: { taskId: true, resourceId: true } });
  for (const h of holds) {
    const released = await tx.resourceHold.updateMany({
      where: { taskId: h.taskId, resourceId: h.resourceId, requestId, status: 'held' },
      data: { status: 'released', releasedAt: new Date(), releaseReason: 'rejected' },
    });
    if (released.count === 1) await giveBack(tx, h.resourceId);
  }
  return holds.length;
}

/** Step 3: the workflow accepted the activation (persistence activity, idempotent). */
export async function confirmActivation(tx: Tx, a: { taskId: string; caseId: string; resourceId: string; byUserId: string }): Promise<void> {
  const key = { taskId: a.taskId, resourceId: a.resourceId };
  const confirmed = await tx.resourceHold.updateMany({ where: { ...key, status: 'held' }, data: { status: 'confirmed', confirmedAt: new Date() } });
  if (confirmed.count === 1) return;
  const counted = await tx.resource.count({ where: { id: a.resourceId, available: { not: null } } });
  if (counted === 0) return;
  const inserted = await tx.resourceHold.createMany({
    data: [{ ...key, caseId: a.caseId, status: 'confirmed', heldById: a.byUserId, confirmedAt: new Date() }],
    skipDuplicates: true,
  });
  const retaken =
    inserted.count === 1
      ? 1
      : (
          await tx.resourceHold.updateMany({
            where: { ...key, status: 'released', releaseReason: 'rejected' },
            data: { status: 'confirmed', confirmedAt: new Date(), releasedAt: null, releasedById: null, releaseReason: null },
          })
        ).count;
  if (retaken === 1) await tx.$executeRaw`UPDATE "Resource" SET "available" = GREATEST("available" - 1, 0) WHERE "id" = ${a.resourceId} AND "available" IS NOT NULL`;
}

/** Step 4, case closed: every unit its interventions hold comes back (persistence activity, idempotent). */
export async function releaseCaseHolds(tx: Tx, caseId: string): Promise<void> {
  const holds = await tx.resourceHold.findMany({ where: { caseId, status: { not: 'released' } }, select: { taskId: true, resourceId: true } });
  for (const h of holds) {
    const released = await tx.resourceHold.updateMany({
      where: { taskId: h.taskId, resourceId: h.resourceId, status: { not: 'released' } },
      data: { status: 'released', releasedAt: new Date(), releaseReason: 'case_closed' },
    });
    if (released.count === 1) await giveBack(tx, h.resourceId);
  }
}

/** Step 4, by hand: the unit an intervention task holds comes back. False when there is none to release. */
export async function releaseHold(tx: Tx, key: { taskId: string; resourceId: string }, actorId: string): Promise<boolean> {
  const released = await tx.resourceHold.updateMany({
    where: { ...key, status: 'confirmed' },
    data: { status: 'released', releasedAt: new Date(), releasedById: actorId, releaseReason: 'released' },
  });
  if (released.count === 0) return false;
  await giveBack(tx, key.resourceId);
  return true;
}
