import { Router } from 'express';
import type { Actor } from '../../domain';
import { type ApiDeps, endpoint, parseQuery } from './context';
import { stuckQuery } from './schemas';
import { supervisionSettings } from '../../supervision/settings';
import { findStuckCases, TemporalScanCache } from '../../supervision/stuck';
import { supervisionSummary } from '../../supervision/summary';

/** Supervision covers the coordinator's Ambiti; admin sees every case. */
function scopeAmbiti(actor: Actor): readonly string[] | undefined {
  return actor.role === 'admin' ? undefined : actor.ambitoIds;
}

export function supervisionRouter(deps: ApiDeps): Router {
  const router = Router();
  const settings = supervisionSettings(deps.supervision);
  const scans = new TemporalScanCache(settings.temporalScanMaxAgeSeconds * 1000);
  const temporal = {
    prisma: deps.prisma,
    client: deps.temporal.client,
    connection: deps.temporal.connection,
    namespace: deps.temporal.namespace,
    taskQueue: deps.temporal.taskQueue,
  };

  router.get(
    '/stuck',
    endpoint(deps, 'supervision.read', async (req, ctx) => {
      const { limit, offset } = parseQuery(stuckQuery, req.query);
      // Oldest first; the page keeps the answer small when many cases are stuck at once.
      return { body: await findStuckCases(temporal, settings, { limit, offset }, new Date(), scans, scopeAmbiti(ctx.actor)) };
    }),
  );
  router.get(
    '/summary',
    endpoint(deps, 'supervision.read', async (_req, ctx) => ({ body: await supervisionSummary(deps.prisma, new Date(), scopeAmbiti(ctx.actor)) })),
  );
  return router;
}
