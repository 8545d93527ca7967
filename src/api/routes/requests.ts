import { Router } from 'express';
import { attach, replay } from '../action-requests';
import { canSeeCase } from '../authorization';
import { ProblemError } from '../problem';
import { actionReply, type ApiDeps, endpoint } from './context';

/** How long a poll waits for the outcome before answering "still pending". */
const POLL_WAIT_MS = 3000;
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function requestNotFound(): ProblemError {
  return new ProblemError(404, { detail: 'Richiesta non trovata', extensions: { code: 'REQUEST_NOT_FOUND' } });
}

/**
 * GET /api/requests/:id: the outcome of an action answered 202. Pending: 202 again (the update is
 * sent again with its update id, so Temporal attaches to the one it has). Final: the very answer
 * the action would have given (200 with the new state, or its problem+json). Readable by the
 * requester and by a coordinator; anyone else gets 404.
 */
export function requestsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get(
    '/:id',
    endpoint(deps, 'request.read', async (req, ctx) => {
      const id = String(req.params.id);
      if (!REQUEST_ID.test(id)) throw requestNotFound();
      const row = await deps.prisma.actionRequest.findUnique({ where: { id } });
      if (!row || (row.userId !== ctx.actor.userId && ctx.actor.role !== 'coordinator')) throw requestNotFound();
      ctx.caseId = row.caseId;
      // A case outside the actor's scope (another Ambito, or the requester's lost access): not found.
      const c = await deps.prisma.case.findUnique({ where: { id: row.caseId }, select: { ambitoId: true, competentComuneCode: true, eventComuneCode: true } });
      if (!c || !canSeeCase(ctx.actor, c)) throw requestNotFound();
      if (row.status !== 'pending') return actionReply(replay(row));
      const waitMs = Math.min(POLL_WAIT_MS, deps.testing?.actionWaitMs ?? deps.config.api.actionWaitMs);
      return actionReply(await attach({ prisma: deps.prisma, client: deps.temporal.client, logger: deps.logger }, row, waitMs));
    }),
  );
  return router;
}
