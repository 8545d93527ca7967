import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { CapacityUnit, NetworkResourceType } from '../domain';
import type { ResourceItem } from '../contract/resources';
import type { Sent } from '../contract/api';
import { recordAdminChange } from '../admin/audit';
import { ProblemError, type ProblemFieldError } from '../api/problem';
import type { ResourceCreate, ResourceUpdate } from './schemas';

/**
 * The network-resource directory kept by coordinators and administrators, and its live
 * availability kept by operators. Every change is one transaction with its AdminChange row.
 */

type Db = PrismaClient | Prisma.TransactionClient;
type ResourceRow = Prisma.ResourceGetPayload<{ include: { comune: { select: { name: true } } } }>;

const INCLUDE = { comune: { select: { name: true } } } as const;

export function invalid(errors: ProblemFieldError[]): ProblemError {
  return new ProblemError(422, { title: 'Validation Failed', detail: 'Dati non validi', errors });
}

export function resourceNotFound(): ProblemError {
  return new ProblemError(404, { detail: 'Risorsa non trovata' });
}

/** The directory rows, presented with who last updated the availability and how many units are in use. */
export async function presentResources(db: Db, rows: ResourceRow[]): Promise<Array<Sent<ResourceItem>>> {
  const ids = rows.map((r) => r.id);
  const userIds = [...new Set(rows.map((r) => r.availableUpdatedById).filter((id): id is string => id !== null))];
  const [users, inUse] = await Promise.all([
    userIds.length > 0 ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } }) : [],
    ids.length > 0 ? db.resourceHold.groupBy({ by: ['resourceId'], where: { resourceId: { in: ids }, status: { not: 'released' } }, _count: { _all: true } }) : [],
  ]);
  return rows.map((r) => {
    const by = users.find((u) => u.id === r.availableUpdatedById);
    return {
      id: r.id,
      type: r.type as NetworkResourceType,
      name: r.name,
      comuneCode: r.comuneCode,
      comuneName: r.comune?.name ?? null,
      ambitoId: r.ambitoId,
      address: r.address,
      confidential: r.confidential,
      capacity: r.capacity,
      capacityUnit: r.capacityUnit as CapacityUnit | null,
      contacts: r.contacts as ResourceItem['contacts'],
      notes: r.notes,
      active: r.active,
      demo: r.demo,
      available: r.available,
      inUse: inUse.find((h) => h.resourceId === r.id)?._count._all ?? 0,
      availability: {
        note: r.availableNote,
        updatedAt: r.availableUpdatedAt,
        updatedBy: r.availableUpdatedById === null ? null : { id: r.availableUpdatedById, displayName: by?.displayName ?? r.availableUpdatedById },
      },
      updatedAt: r.updatedAt,
    };
  });
}

export async function presentResource(db: Db, id: string): Promise<Sent<ResourceItem>> {
  const row = await db.resource.findUnique({ where: { id }, include: INCLUDE });
  if (row === null) throw resourceNotFound();
  const [item] = await presentResources(db, [row]);
  return item as Sent<ResourceItem>;
}

export interface ResourceFilter {
  type?: NetworkResourceType;
  comune?: string;
  availableOnly?: boolean;
  includeInactive?: boolean;
}

export async function listResources(db: Db, f: ResourceFilter): Promise<Array<Sent<ResourceItem>>> {
  const where: Prisma.ResourceWhereInput = {
    ...(f.includeInactive !== true && { active: true }),
    ...(f.type !== undefined && { type: f.type }),
    ...(f.comune !== undefined && { comuneCode: f.comune }),
    ...(f.availableOnly === true && { OR: [{ available: null }, { available: { gt: 0 } }] }),
  };
  const rows = await db.resource.findMany({ where, include: INCLUDE, orderBy: [{ type: 'asc' }, { name: 'asc' }, { id: 'asc' }] });
  return presentResources(db, rows);
}

/** Comune and Ambito must exist, and the Comune must belong to the Ambito. */
async function checkPlace(db: Db, r: ResourceUpdate): Promise<void> {
  const errors: ProblemFieldError[] = [];
  const ambito = await db.ambito.findUnique({ where: { id: r.ambitoId }, select: { id: true } });
  if (ambito === null) errors.push({ path: 'ambitoId', message: 'Ambito sconosciuto' });
  if (r.comuneCode !== null) {
    const comune = await db.comune.findUnique({ where: { code: r.comuneCode }, select: { ambitoId: true } });
    if (comune === null) errors.push({ path: 'comuneCode', message: 'Comune sconosciuto' });
    else if (ambito !== null && comune.ambitoId !== r.ambitoId) errors.push({ path: 'comuneCode', message: 'il Comune non appartiene all’Ambito indicato' });
  }
  if (errors.length > 0) throw invalid(errors);
}

function columns(r: ResourceUpdate) {
  return {
    type: r.type,
    name: r.name,
    comuneCode: r.comuneCode,
    ambitoId: r.ambitoId,
    address: r.address,
    confidential: r.confidential || r.type === 'women_shelter',
    capacity: r.capacity,
    capacityUnit: r.capacityUnit,
    contacts: r.contacts,
    notes: r.notes,
  };
}

const SERIALIZABLE = { isolationLevel: Prisma.TransactionIsolationLevel.Serializable, maxWait: 10_000, timeout: 20_000 };

export async function createResource(prisma: PrismaClient, actorId: string, r: ResourceCreate): Promise<Sent<ResourceItem>> {
  try {
    return await prisma.$transaction(async (tx) => {
      await checkPlace(tx, r);
      if ((await tx.resource.count({ where: { id: r.id } })) > 0) throw invalid([{ path: 'id', message: 'esiste già una risorsa con questo identificativo' }]);
      await tx.resource.create({ data: { id: r.id, ...columns(r), available: r.capacity } });
      const after = await presentResource(tx, r.id);
      await recordAdminChange(tx, { actorId, entity: 'resource', entityId: r.id, before: null, after });
      return after;
    });
  } catch (err) {
    // Two creations of the same id at once: the loser is told about the id, not a database error.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw invalid([{ path: 'id', message: 'esiste già una risorsa con questo identificativo' }]);
    }
    throw err;
  }
}

/**
 * The free units follow the capacity: a new capacity starts all free, a smaller one caps what is
 * free, no capacity means availability is not counted.
 */
function availableAfter(capacity: number | null, available: number | null): number | null {
  if (capacity === null) return null;
  if (available === null) return capacity;
  return Math.min(available, capacity);
}

export async function updateResource(prisma: PrismaClient, actorId: string, id: string, r: ResourceUpdate): Promise<Sent<ResourceItem>> {
  return prisma.$transaction(async (tx) => {
    const before = await presentResource(tx, id);
    await checkPlace(tx, r);
    await tx.resource.update({ where: { id }, data: { ...columns(r), available: availableAfter(r.capacity, before.available) } });
    const after = await presentResource(tx, id);
    await recordAdminChange(tx, { actorId, entity: 'resource', entityId: id, before, after });
    return after;
  }, SERIALIZABLE);
}

export async function setResourceActive(prisma: PrismaClient, actorId: string, id: string, active: boolean): Promise<Sent<ResourceItem>> {
  return prisma.$transaction(async (tx) => {
    const before = await presentResource(tx, id);
    if (before.active === active) return before;
    await tx.resource.update({ where: { id }, data: { active } });
    const after = await presentResource(tx, id);
    await recordAdminChange(tx, { actorId, entity: 'resource', entityId: id, before, after });
    return after;
  }, SERIALIZABLE);
}

/** An operator's or coordinator's count of free units (0 ≤ available ≤ capacity), audited. */
export async function setAvailability(prisma: PrismaClient, actorId: string, id: string, available: number, note: string | undefined): Promise<Sent<ResourceItem>> {
  return prisma.$transaction(async (tx) => {
    const before = await presentResource(tx, id);
    if (!before.active) throw resourceNotFound();
    if (before.capacity === null) throw invalid([{ path: 'available', message: 'questa risorsa non ha una capacità: la disponibilità non si conta' }]);
    if (available > before.capacity) throw invalid([{ path: 'available', message: `al massimo la capacità (${before.capacity})` }]);
    await tx.resource.update({
      where: { id },
      data: { available, availableNote: note === undefined || note === '' ? null : note, availableUpdatedAt: new Date(), availableUpdatedById: actorId },
    });
    const after = await presentResource(tx, id);
    await recordAdminChange(tx, {
      actorId,
      entity: 'resource_availability',
      entityId: id,
      before: { available: before.available, note: before.availability.note },
      after: { available: after.available, note: after.availability.note },
    });
    return after;
  });
}
