import type { PrismaClient } from '../generated/prisma/client';
import { loadReferenceData, type ReferenceData } from '../reference';

/**
 * Loads the reference data (Ambiti, Comuni with their office calendars, the network resource
 * directory) into PostgreSQL. Only missing rows are inserted: whatever an administrator edited in
 * the database survives every restart.
 */
export async function seedReferenceData(prisma: PrismaClient, data: ReferenceData = loadReferenceData()): Promise<{ inserted: number }> {
  let inserted = 0;
  inserted += (
    await prisma.ambito.createMany({ data: data.ambiti.map((a) => ({ id: a.id, name: a.name })), skipDuplicates: true })
  ).count;
  inserted += (
    await prisma.comune.createMany({
      data: data.comuni.map((c) => ({
        code: c.istatCode,
        name: c.name,
        province: c.province,
        ambitoId: c.ambitoId,
        calendar: c.calendar,
        socialServices: c.socialServices,
      })),
      skipDuplicates: true,
    })
  ).count;
  inserted += (
    await prisma.resource.createMany({
      data: data.resources.map((r) => ({
        id: r.id,
        type: r.type,
        name: r.name,
        comuneCode: r.comuneIstatCode,
        ambitoId: r.ambitoId,
        capacity: r.capacity?.total ?? null,
        capacityUnit: r.capacity?.unit ?? null,
        available: r.capacity?.total ?? null,
        contacts: r.contacts,
        address: r.address,
        confidential: r.confidentialAddress,
        demo: r.demo,
      })),
      skipDuplicates: true,
    })
  ).count;
  return { inserted };
}
