import { Router } from 'express';
import { type ApiDeps, endpoint, parseQuery } from './context';
import { userListQuery } from './schemas';

/**
 * Reference data the console needs to fill its pickers: the Comuni (codes and names, no calendar
 * internals) and, for the coordinator's reassign action, the active users of a role.
 */

export function referenceRouter(deps: ApiDeps): Router {
  const router = Router();

  router.get(
    '/comuni',
    endpoint(deps, 'case.list', async () => {
      const items = await deps.prisma.comune.findMany({
        select: { code: true, name: true, province: true, ambitoId: true },
        orderBy: { name: 'asc' },
      });
      return { body: { items } };
    }),
  );

  router.get(
    '/users',
    endpoint(deps, 'task.reassign', async (req, ctx) => {
      const q = parseQuery(userListQuery, req.query);
      // Only people who work in the coordinator's Ambiti (social workers: through their Comune).
      const comuni = (await deps.prisma.comune.findMany({ where: { ambitoId: { in: ctx.actor.ambitoIds } }, select: { code: true } })).map((c) => c.code);
      const items = await deps.prisma.user.findMany({
        where: {
          active: true,
          ...(q.role !== undefined && { role: q.role }),
          ...(q.comune !== undefined && { comuneCode: q.comune }),
          OR: [{ role: { not: 'social_worker' }, ambiti: { some: { ambitoId: { in: ctx.actor.ambitoIds } } } }, { role: 'social_worker', comuneCode: { in: comuni } }],
        },
        select: { id: true, displayName: true, role: true, comuneCode: true },
        orderBy: [{ role: 'asc' }, { displayName: 'asc' }],
      });
      return { body: { items } };
    }),
  );

  return router;
}
