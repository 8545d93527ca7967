import { Router } from 'express';
import type { Sent } from '../../contract/api';
import type { ResourceItem, ResourceList, ResourceReleaseResult } from '../../contract/resources';
import { createResource, listResources, presentResource, resourceNotFound, setAvailability, setResourceActive, updateResource } from '../../resources/directory';
import { releaseHold } from '../../resources/holds';
import { availabilityBody, releaseBody, resourceCreateBody, resourceListQuery, resourceUpdateBody } from '../../resources/schemas';
import { recordAdminChange } from '../../admin/audit';
import { canSeeCase } from '../authorization';
import { ProblemError } from '../problem';
import { type ApiDeps, endpoint, parseBody, parseQuery } from './context';

/**
 * The network-resource directory. `/api/admin/resources`: coordinators and administrators keep it
 * (list with inactive rows, create, update, deactivate/reactivate). `/api/resources`: operators
 * read it with the live availability, update the free units and release a unit an intervention
 * held. Every change goes through src/resources (one transaction with its AdminChange row).
 */

const RESOURCE_ID = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

function resourceId(raw: unknown): string {
  const id = String(raw);
  if (id.length > 64 || !RESOURCE_ID.test(id)) throw resourceNotFound();
  return id;
}

export function adminResourcesRouter(deps: ApiDeps): Router {
  const router = Router();

  router.get(
    '/',
    endpoint(deps, 'resource.admin', async () => {
      const items = await listResources(deps.prisma, { includeInactive: true });
      return { body: { items } satisfies Sent<ResourceList> };
    }),
  );

  router.post(
    '/',
    endpoint(deps, 'resource.admin', async (req, ctx) => {
      const body = parseBody(resourceCreateBody, req.body);
      const item = await createResource(deps.prisma, ctx.actor.userId, body);
      return { status: 201, body: item satisfies Sent<ResourceItem> };
    }),
  );

  router.put(
    '/:id',
    endpoint(deps, 'resource.admin', async (req, ctx) => {
      const id = resourceId(req.params.id);
      const body = parseBody(resourceUpdateBody, req.body);
      return { body: (await updateResource(deps.prisma, ctx.actor.userId, id, body)) satisfies Sent<ResourceItem> };
    }),
  );

  for (const [path, active] of [
    ['/:id/deactivate', false],
    ['/:id/activate', true],
  ] as const) {
    router.post(
      path,
      endpoint(deps, 'resource.admin', async (req, ctx) => {
        const id = resourceId(req.params.id);
        return { body: (await setResourceActive(deps.prisma, ctx.actor.userId, id, active)) satisfies Sent<ResourceItem> };
      }),
    );
  }

  return router;
}

export function resourcesRouter(deps: ApiDeps): Router {
  const router = Router();

  router.get(
    '/',
    endpoint(deps, 'resource.list', async (req) => {
      const q = parseQuery(resourceListQuery, req.query);
      const items = await listResources(deps.prisma, q);
      return { body: { items } satisfies Sent<ResourceList> };
    }),
  );

  router.patch(
    '/:id/availability',
    endpoint(deps, 'resource.availability', async (req, ctx) => {
      const id = resourceId(req.params.id);
      const body = parseBody(availabilityBody, req.body);
      return { body: (await setAvailability(deps.prisma, ctx.actor.userId, id, body.available, body.note)) satisfies Sent<ResourceItem> };
    }),
  );

  /** Gives back the unit an intervention task holds (the person left the bed, the transport is free). */
  router.post(
    '/:id/release',
    endpoint(deps, 'resource.release', async (req, ctx) => {
      const id = resourceId(req.params.id);
      const body = parseBody(releaseBody, req.body);
      const hold = await deps.prisma.resourceHold.findUnique({ where: { taskId_resourceId: { taskId: body.taskId, resourceId: id } } });
      const c = hold === null ? null : await deps.prisma.case.findUnique({ where: { id: hold.caseId }, select: { id: true, ambitoId: true, competentComuneCode: true, eventComuneCode: true } });
      // A case outside the actor's scope answers as if the hold did not exist (like every case route).
      if (hold === null || c === null || !canSeeCase(ctx.actor, c)) throw new ProblemError(404, { detail: 'Nessuna attivazione di questa risorsa per l’attività indicata' });
      ctx.caseId = c.id;
      const result = await deps.prisma.$transaction(async (tx) => {
        const before = await presentResource(tx, id);
        if (!(await releaseHold(tx, { taskId: body.taskId, resourceId: id }, ctx.actor.userId))) {
          throw new ProblemError(409, { detail: 'Il posto di questa attività è già stato liberato', extensions: { code: 'HOLD_NOT_ACTIVE' } });
        }
        const after = await presentResource(tx, id);
        await recordAdminChange(tx, {
          actorId: ctx.actor.userId,
          entity: 'resource_availability',
          entityId: id,
          before: { available: before.available, taskId: body.taskId },
          after: { available: after.available, released: body.taskId },
        });
        return after;
      });
      return { body: { resource: result, released: { taskId: body.taskId, resourceId: id, caseId: c.id } } satisfies Sent<ResourceReleaseResult> };
    }),
  );

  return router;
}
