import { hashPassword } from '../api/auth/passwords';
import type { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../domain';
import { seedDemoContacts } from '../alerts/contacts';

/**
 * Demo users, one per role (two emergency operators for the claim-conflict scenario, a social
 * worker each for Rho and Lainate). DEVELOPMENT ONLY: the passwords are public, here.
 *
 * | username      | password            | role               | Comune        |
 * |---------------|---------------------|--------------------|---------------|
 * | intake        | demo-intake-pis     | intake_operator    |               |
 * | operatore1    | demo-operatore1-pis | emergency_operator |               |
 * | operatore2    | demo-operatore2-pis | emergency_operator |               |
 * | coordinatore  | demo-coord-pis      | coordinator        |               |
 * | as.rho        | demo-rho-pis        | social_worker      | Rho 015182    |
 * | as.lainate    | demo-lainate-pis    | social_worker      | Lainate 015116|
 * | admin         | demo-admin-pis      | admin              |               |
 */
export interface DemoUser {
  id: string;
  username: string;
  password: string;
  displayName: string;
  role: Role;
  comuneCode?: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'u-intake', username: 'intake', password: 'demo-intake-pis', displayName: 'Operatore di centrale (demo)', role: 'intake_operator' },
  { id: 'u-op1', username: 'operatore1', password: 'demo-operatore1-pis', displayName: 'Operatore PIS 1 (demo)', role: 'emergency_operator' },
  { id: 'u-op2', username: 'operatore2', password: 'demo-operatore2-pis', displayName: 'Operatore PIS 2 (demo)', role: 'emergency_operator' },
  { id: 'u-coord', username: 'coordinatore', password: 'demo-coord-pis', displayName: 'Coordinatore (demo)', role: 'coordinator' },
  { id: 'u-as-rho', username: 'as.rho', password: 'demo-rho-pis', displayName: 'Assistente sociale Rho (demo)', role: 'social_worker', comuneCode: '015182' },
  { id: 'u-as-lainate', username: 'as.lainate', password: 'demo-lainate-pis', displayName: 'Assistente sociale Lainate (demo)', role: 'social_worker', comuneCode: '015116' },
  { id: 'u-admin', username: 'admin', password: 'demo-admin-pis', displayName: 'Amministratore (demo)', role: 'admin' },
];

/** Inserts the missing demo users; existing rows (and changed passwords) are left alone. */
export async function seedDemoUsers(prisma: PrismaClient): Promise<{ inserted: number }> {
  if (process.env.NODE_ENV === 'production') throw new Error('demo users are for development only');
  const existing = new Set((await prisma.user.findMany({ select: { username: true } })).map((u) => u.username));
  const missing = DEMO_USERS.filter((u) => !existing.has(u.username));
  const rows = await Promise.all(
    missing.map(async (u) => ({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      passwordHash: await hashPassword(u.password),
      role: u.role,
      comuneCode: u.comuneCode ?? null,
    })),
  );
  const { count } = await prisma.user.createMany({ data: rows, skipDuplicates: true });
  await seedDemoContacts(prisma);
  return { inserted: count };
}
