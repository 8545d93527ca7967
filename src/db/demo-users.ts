import { hashPassword } from '../api/auth/passwords';
import type { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../domain';

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
 * | coordinatore.bollate | demo-coord-bollate-pis | coordinator  |               |
 * | operatore.bollate    | demo-operatore-bollate-pis | emergency_operator |   |
 * | as.bollate    | demo-bollate-pis    | social_worker      | Bollate 015027|
 *
 * Ambiti: the first seven work for the Rhodense, the `*.bollate` users for the Bollatese (social
 * workers through their Comune, admin everywhere).
 */
export interface DemoUser {
  id: string;
  username: string;
  password: string;
  displayName: string;
  role: Role;
  comuneCode?: string;
  /** UserAmbito rows (none for social workers and admin). */
  ambitoIds: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'u-intake', username: 'intake', password: 'demo-intake-pis', displayName: 'Operatore di centrale (demo)', role: 'intake_operator', ambitoIds: ['rhodense'] },
  { id: 'u-op1', username: 'operatore1', password: 'demo-operatore1-pis', displayName: 'Operatore PIS 1 (demo)', role: 'emergency_operator', ambitoIds: ['rhodense'] },
  { id: 'u-op2', username: 'operatore2', password: 'demo-operatore2-pis', displayName: 'Operatore PIS 2 (demo)', role: 'emergency_operator', ambitoIds: ['rhodense'] },
  { id: 'u-coord', username: 'coordinatore', password: 'demo-coord-pis', displayName: 'Coordinatore (demo)', role: 'coordinator', ambitoIds: ['rhodense'] },
  { id: 'u-as-rho', username: 'as.rho', password: 'demo-rho-pis', displayName: 'Assistente sociale Rho (demo)', role: 'social_worker', comuneCode: '015182', ambitoIds: [] },
  { id: 'u-as-lainate', username: 'as.lainate', password: 'demo-lainate-pis', displayName: 'Assistente sociale Lainate (demo)', role: 'social_worker', comuneCode: '015116', ambitoIds: [] },
  { id: 'u-admin', username: 'admin', password: 'demo-admin-pis', displayName: 'Amministratore (demo)', role: 'admin', ambitoIds: [] },
  { id: 'u-coord-bollate', username: 'coordinatore.bollate', password: 'demo-coord-bollate-pis', displayName: 'Coordinatore Bollatese (demo)', role: 'coordinator', ambitoIds: ['bollatese'] },
  { id: 'u-op-bollate', username: 'operatore.bollate', password: 'demo-operatore-bollate-pis', displayName: 'Operatore PIS Bollatese (demo)', role: 'emergency_operator', ambitoIds: ['bollatese'] },
  { id: 'u-as-bollate', username: 'as.bollate', password: 'demo-bollate-pis', displayName: 'Assistente sociale Bollate (demo)', role: 'social_worker', comuneCode: '015027', ambitoIds: [] },
];

/**
 * Inserts the missing demo users with their Ambiti; existing rows (changed passwords, Ambiti) are
 * left alone. Refuses to run in production.
 */
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
  const { count } = await prisma.$transaction(async (tx) => {
    const created = await tx.user.createMany({ data: rows, skipDuplicates: true });
    await tx.userAmbito.createMany({ data: missing.flatMap((u) => u.ambitoIds.map((ambitoId) => ({ userId: u.id, ambitoId }))), skipDuplicates: true });
    return created;
  });
  return { inserted: count };
}
