import { Router } from 'express';
import { z } from 'zod';
import type { DutyState, OnDutyList } from '../contract/alerts';
import type { Sent } from '../contract/api';
import type { Role } from '../domain';
import type { PrismaClient } from '../generated/prisma/client';
import { type ApiDeps, endpoint, parseBody } from '../api/routes/context';
import { recordChangeEvents } from './change-events';

const dutyBody = z.object({ onDuty: z.boolean({ error: 'deve essere true o false' }) }).strict();

/**
 * On and off duty: `PUT /api/me/duty {onDuty}` (operators, coordinators) opens or closes the
 * user's DutyShift; `GET /api/me/duty` reads it; `GET /api/duty` lists who is on duty now.
 * Escalation e-mails go to the coordinators on duty (src/alerts/mailer.ts).
 */
export function dutyRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get(
    '/me/duty',
    endpoint(deps, 'duty.set', async (_req, ctx) => ({ body: (await dutyOf(deps.prisma, ctx.actor.userId)) satisfies Sent<DutyState> })),
  );
  router.put(
    '/me/duty',
    endpoint(deps, 'duty.set', async (req, ctx) => {
      const { onDuty } = parseBody(dutyBody, req.body);
      const userId = ctx.actor.userId;
      const state = await deps.prisma.$transaction(async (tx) => {
        // One open shift per user: serialise this user's toggles.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`duty:${userId}`}))`;
        const open = await tx.dutyShift.findFirst({ where: { userId, to: null }, orderBy: { from: 'desc' } });
        if (onDuty && open) return { onDuty: true, since: open.from };
        if (!onDuty && !open) return { onDuty: false, since: null };
        if (onDuty) {
          const shift = await tx.dutyShift.create({ data: { userId } });
          await recordChangeEvents(tx, [{ kind: 'duty', userId }]);
          return { onDuty: true, since: shift.from };
        }
        await tx.dutyShift.updateMany({ where: { userId, to: null }, data: { to: new Date() } });
        await recordChangeEvents(tx, [{ kind: 'duty', userId }]);
        return { onDuty: false, since: null };
      });
      return { body: state satisfies Sent<DutyState> };
    }),
  );
  router.get(
    '/duty',
    endpoint(deps, 'duty.read', async () => ({ body: (await onDutyNow(deps.prisma)) satisfies Sent<OnDutyList> })),
  );
  return router;
}

async function dutyOf(prisma: PrismaClient, userId: string): Promise<{ onDuty: boolean; since: Date | null }> {
  const open = await prisma.dutyShift.findFirst({ where: { userId, to: null }, orderBy: { from: 'desc' } });
  return { onDuty: open !== null, since: open?.from ?? null };
}

/** Active users with an open shift, longest on duty first. */
export async function onDutyNow(prisma: PrismaClient): Promise<{ items: Array<{ userId: string; displayName: string; role: Role; since: Date }> }> {
  const shifts = await prisma.dutyShift.findMany({ where: { to: null }, orderBy: { from: 'asc' } });
  const users = await prisma.user.findMany({ where: { id: { in: shifts.map((s) => s.userId) }, active: true }, select: { id: true, displayName: true, role: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  const items = [];
  for (const s of shifts) {
    const u = byId.get(s.userId);
    if (u) items.push({ userId: u.id, displayName: u.displayName, role: u.role as Role, since: s.from });
  }
  return { items };
}
