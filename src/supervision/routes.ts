import { Router } from 'express';
import { type ApiDeps, endpoint } from '../api/routes/context';
import { supervisionSettings } from './settings';
import { findStuckCases, TemporalScanCache } from './stuck';
import { supervisionSummary } from './summary';

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
    endpoint(deps, 'supervision.read', async () => ({ body: await findStuckCases(temporal, settings, new Date(), scans) })),
  );
  router.get(
    '/summary',
    endpoint(deps, 'supervision.read', async () => ({ body: await supervisionSummary(deps.prisma) })),
  );
  return router;
}
