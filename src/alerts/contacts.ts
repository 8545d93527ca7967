import { DEMO_USERS } from '../db/demo-users';
import type { PrismaClient } from '../generated/prisma/client';

/** Demo e-mail addresses (`<username>@pis.example`, a reserved-looking domain) for the demo users. Development only. */
export async function seedDemoContacts(prisma: PrismaClient): Promise<void> {
  const existing = new Set((await prisma.user.findMany({ where: { id: { in: DEMO_USERS.map((u) => u.id) } }, select: { id: true } })).map((u) => u.id));
  await prisma.staffContact.createMany({
    data: DEMO_USERS.filter((u) => existing.has(u.id)).map((u) => ({ userId: u.id, email: `${u.username}@pis.example` })),
    skipDuplicates: true,
  });
}
