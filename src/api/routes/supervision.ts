import { Router } from 'express';
import { type ApiDeps, endpoint, parseQuery } from './context';
import { stuckQuery } from './schemas';
import { supervisionSettings } from '../../supervision/settings';
import { findStuckCases, TemporalScanCache } from '../../supervision/stuck';
import { supervisionSummary } from '../../supervision/summary';

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
    endpoint(deps, 'supervision.read', async (req) => {
      const { limit, offset } = parseQuery(stuckQuery, req.query);
      // Oldest first; the page keeps the answer small when many cases are stuck at once.
      return { body: await findStuckCases(temporal, settings, { limit, offset }, new Date(), scans) };
    }),
  );
  router.get(
    '/summary',
    endpoint(deps, 'supervision.read', async () => ({ body: await supervisionSummary(deps.prisma) })),
  );
  return router;
}
