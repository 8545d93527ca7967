import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Prisma } from '../../generated/prisma/client';
import { ensureCaseWorkflow, IntakeError, receiveReport } from '../../cases/intake';
import { idempotencyConflict, runAction } from '../action-requests';
import { intakeSchema } from '../../cases/intake-schema';
import {
  CASE_STATUSES,
  cancelCaseUpdate,
  caseWorkflowId,
  escalateCaseUpdate,
  getCaseQuery,
  moveHandoverUpdate,
  noteAddedSignal,
  overrideScopeUpdate,
  retryPersistenceUpdate,
} from '../../workflows/definitions';
import { type Action, can, canSeeCase, caseActorOf, caseScope, inAmbito } from '../authorization';
import { loggableError, ProblemError } from '../problem';
import { recordAudit } from '../audit';
import { handoverMoveWindow, reportedAtWindow, requireInWindow } from '../date-windows';
import { actionDeps, actionReply, type ApiDeps, endpoint, idempotencyKeyOf, notFound, parseBody, parseQuery, type RequestContext, withWorkflowDeadline } from './context';
import { CASE_ID, caseDetailQuery, caseListQuery, emptyBody, moveHandoverBody, noteBody, reasonBody } from './schemas';
import { caseStateOf, presentTaskRow } from './views';
import { afterWhere, encodeCursor, fingerprint, keyValue, orderByOf, pageStart, type SortKey } from '../cursor';
import { type CaseCountFilter, counterScope, countCases } from '../../readmodel/counters';
import type { CaseFile, CaseRow, Page, Sent } from '../../contract/api';
import type { Actor, CaseActor, Role } from '../../domain';
import type { TimelineKind } from '../../workflows/steps/registry';

const LIST_SELECT = {
  id: true,
  reference: true,
  status: true,
  step: true,
  riskLevel: true,
  flags: true,
  categories: true,
  minorsInvolved: true,
  eventComuneCode: true,
  competentComuneCode: true,
  externalHandover: true,
  openTaskRoles: true,
  reportedAt: true,
  handoverAt: true,
  overdueSince: true,
  lastProgressAt: true,
  outcomeCode: true,
  closedAt: true,
  createdAt: true,
} satisfies Prisma.CaseSelect;

/** The live view is a nice-to-have: it must not hold the case file up for long. */
const LIVE_QUERY_TIMEOUT_MS = 5000;
const SIGNAL_TIMEOUT_MS = 10_000;
const RUNNING_STATUSES = CASE_STATUSES.filter((s) => s !== 'closed');
const NULLABLE_SORT = new Set(['overdueSince', 'handoverAt']);

/**
 * Loads the case row an actor acts on: 404 when unknown and when outside the actor's scope
 * (`canSeeCase`: their Ambiti, a social worker's Comune), so nobody learns that it exists. The
 * case id is still recorded in the refusal's audit row.
 */
export async function visibleCase(deps: ApiDeps, ctx: RequestContext, id: string) {
  if (!CASE_ID.test(id)) throw notFound('case');
  const c = await deps.prisma.case.findUnique({ where: { id } });
  if (!c) throw notFound('case');
  ctx.caseId = c.id;
  if (!canSeeCase(ctx.actor, c)) throw notFound('case');
  return c;
}

/** The list's filters as counter buckets (src/readmodel/counters.ts). */
function countFilter(q: ReturnType<typeof caseListQuery.parse>): CaseCountFilter {
  return {
    statuses: q.status === 'active' ? RUNNING_STATUSES : q.status === undefined ? undefined : [q.status],
    step: q.step,
    risk: q.risk,
    category: q.category,
    overdue: q.overdue,
    comune: q.comune,
  };
}

/** The case list's filter for an actor (its scope included). */
export function listWhere(actor: Actor, q: ReturnType<typeof caseListQuery.parse>): Prisma.CaseWhereInput {
  const and: Prisma.CaseWhereInput[] = [caseScope(actor)];
  if (q.status === 'active') and.push({ status: { in: RUNNING_STATUSES } }); // IN, not <>: the status index applies
  else if (q.status !== undefined) and.push({ status: q.status });
  if (q.step !== undefined) and.push({ step: q.step });
  if (q.risk !== undefined) and.push({ riskLevel: q.risk });
  if (q.category !== undefined) and.push({ categories: { has: q.category } });
  if (q.overdue !== undefined) and.push({ overdueSince: q.overdue ? { not: null } : null });
  if (q.comune !== undefined) {
    and.push({ OR: [{ competentComuneCode: q.comune }, { competentComuneCode: null, eventComuneCode: q.comune }] });
  }
  return { AND: and };
}

export function casesRouter(deps: ApiDeps): Router {
  const router = Router();
  const intakeDeps = { prisma: deps.prisma, client: deps.temporal.client, taskQueue: deps.temporal.taskQueue };
  const handle = (caseId: string) => deps.temporal.client.workflow.getHandle(caseWorkflowId(caseId));

  router.post(
    '/',
    endpoint(deps, 'case.create', async (req, ctx) => {
      const idempotencyKey = idempotencyKeyOf(req);
      const data = parseBody(intakeSchema, req.body);
      requireInWindow('reportedAt', data.reportedAt, reportedAtWindow(Date.now(), deps.config.dateWindows));
      try {
        const result = await receiveReport(intakeDeps, data, ctx.actor, {
          idempotencyKey,
          protocolOverrides: deps.testing?.protocolOverrides,
          startTimeoutMs: deps.testing?.actionWaitMs ?? deps.config.api.actionWaitMs,
          acceptsAmbito: (ambitoId) => inAmbito(ctx.actor, ambitoId),
          onStartFailed: (err) => (req.log ?? deps.logger).warn({ err: loggableError(err) }, 'case workflow start failed; the reconciler will start it'),
          // A new case and its audit row commit together: no case without its creation record.
          onCreate: async (tx, caseId) => {
            ctx.caseId = caseId;
            await recordAudit(tx, { actor: ctx.actor, action: 'case.create', caseId, outcome: 'success', requestId: ctx.requestId });
          },
        });
        ctx.caseId = result.caseId;
        ctx.audited = result.created;
        // 202: the case is stored with its outbox row; the worker's reconciler starts its workflow.
        return {
          status: result.workflowStarted ? (result.created ? 201 : 200) : 202,
          headers: { Location: `/api/cases/${result.caseId}` },
          body: {
            caseId: result.caseId,
            reference: result.reference,
            created: result.created,
            workflowStarted: result.workflowStarted,
            ...(!result.workflowStarted && { detail: 'Segnalazione registrata: il caso verrà avviato appena il motore dei workflow è raggiungibile' }),
          },
        };
      } catch (err) {
        if (err instanceof IntakeError) {
          if (err.code === 'IDEMPOTENCY_CONFLICT') throw new ProblemError(409, { detail: err.message, extensions: { code: err.code } });
          throw new ProblemError(422, {
            title: 'Validation Failed',
            detail: err.message,
            errors: [{ path: err.field ?? '(body)', message: err.message }],
            extensions: { code: err.code },
          });
        }
        throw err;
      }
    }),
  );

  router.get(
    '/',
    endpoint(deps, 'case.list', async (req, ctx) => {
      const q = parseQuery(caseListQuery, req.query);
      const where = listWhere(ctx.actor, q);
      // Sort key, then id in the same direction (one index serves both directions).
      const keys: SortKey[] = [{ field: q.sort, order: q.order, nullable: NULLABLE_SORT.has(q.sort) }, { field: 'id', order: q.order }];
      const fp = fingerprint(q);
      const after = pageStart(q, keys, fp);
      const [rows, total] = await Promise.all([
        deps.prisma.case.findMany({
          where: after === undefined ? where : { AND: [where, afterWhere(keys, after, (f) => f !== 'id') as Prisma.CaseWhereInput] },
          select: LIST_SELECT,
          orderBy: orderByOf(keys),
          take: q.limit + 1,
          skip: after === undefined ? q.offset : 0,
        }),
        // Exact, from the counters kept with every write: no count of the case table per page.
        countCases(deps.prisma, counterScope(ctx.actor), countFilter(q)),
      ]);
      const items = rows.slice(0, q.limit);
      const last = rows.length > q.limit ? items[items.length - 1] : undefined;
      const nextCursor = last === undefined ? null : encodeCursor([keyValue(last[q.sort]), last.id], fp);
      return { body: { items, total, totalCapped: false, limit: q.limit, offset: q.offset, nextCursor } satisfies Sent<Page<CaseRow>> };
    }),
  );

  router.get(
    '/:id',
    endpoint(deps, 'case.read', async (req, ctx) => {
      const q = parseQuery(caseDetailQuery, req.query);
      await visibleCase(deps, ctx, String(req.params.id));
      const c = await deps.prisma.case.findUniqueOrThrow({
        where: { id: ctx.caseId },
        include: {
          report: true,
          people: { orderBy: { id: 'asc' } },
          tasks: { orderBy: { createdAt: 'asc' } },
          timeline: { orderBy: { seq: 'asc' } },
          notes: { orderBy: { createdAt: 'asc' } },
          submissions: { orderBy: { submittedAt: 'asc' } },
          placements: { orderBy: { placedAt: 'asc' } },
          activations: { orderBy: { activatedAt: 'asc' } },
          reminders: { orderBy: { dueAt: 'asc' } },
          handover: true,
        },
      });
      const now = Date.now();
      const showAddress = can(ctx.actor, 'case.read_protected_address');
      const { report, people, tasks, timeline, notes, submissions, placements, activations, reminders, handover, ...row } = c;
      // `ambitoId` (the case's, copied for the task lists) is not part of a task's answer.
      const task = ({ ambitoId: _ambitoId, ...t }: (typeof tasks)[number]) => ({ ...t, ...presentTaskRow(t, now) });
      const active = tasks.filter((t) => t.status === 'open' || t.status === 'claimed');
      const deadlines = [
        ...active.filter((t) => t.dueAt !== null).map((t) => ({ kind: 'task', taskId: t.id, type: t.type, at: t.dueAt as Date })),
        ...(row.handoverAt !== null && row.status === 'awaiting_handover' ? [{ kind: 'handover', at: row.handoverAt }] : []),
        ...reminders.filter((r) => r.firedAt === null).map((r) => ({ kind: `reminder:${r.kind}`, reminderId: r.id, at: r.dueAt })),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      let live: unknown;
      if (q.live === true) {
        live = await withWorkflowDeadline(deps, () => handle(c.id).query(getCaseQuery), LIVE_QUERY_TIMEOUT_MS)
          .then((view) => caseStateOf(view))
          .catch((err: unknown) => {
            (req.log ?? deps.logger).warn({ err: loggableError(err) }, 'live case query failed');
            return null;
          });
      }
      return {
        body: {
          case: row,
          report,
          people,
          tasks: { open: active.map(task), past: tasks.filter((t) => !active.includes(t)).map(task) },
          // Kind, role and data columns are text/JSON written from the typed decisions by persistCase.
          timeline: timeline.map((e) => ({ ...e, kind: e.kind as TimelineKind, actorRole: e.actorRole as Role | 'system', data: e.data as Record<string, unknown> })),
          notes,
          submissions,
          placements: placements.map((p) => (showAddress ? p : { ...p, address: null, addressHidden: true })),
          activations,
          reminders,
          handover,
          deadlines,
          ...(q.live === true && { live }),
        } satisfies Sent<CaseFile>,
      };
    }),
  );

  router.post(
    '/:id/notes',
    endpoint(deps, 'case.note', async (req, ctx) => {
      const key = idempotencyKeyOf(req);
      const { text } = parseBody(noteBody, req.body);
      const c = await visibleCase(deps, ctx, String(req.params.id));
      // A retry with the same key returns the note it wrote, never a second one.
      const earlier = key === undefined ? null : await deps.prisma.note.findUnique({ where: { authorId_idempotencyKey: { authorId: ctx.actor.userId, idempotencyKey: key } } });
      const sameNote = (n: { caseId: string; text: string }) => n.caseId === c.id && n.text === text;
      if (earlier !== null && !sameNote(earlier)) throw idempotencyConflict();
      if (earlier === null && c.status === 'closed') throw new ProblemError(409, { title: 'Case Closed', detail: 'Il caso è chiuso', extensions: { code: 'CASE_CLOSED' } });
      // The note is safe in PostgreSQL before the workflow hears of it (the signal carries only its id).
      const note =
        earlier ??
        (await deps.prisma.note
          .create({ data: { id: randomUUID(), caseId: c.id, authorId: ctx.actor.userId, authorRole: ctx.actor.role, text, idempotencyKey: key } })
          .catch(async (err: unknown) => {
            // The same key twice at once: the unique index picks one; the other returns it.
            if (key === undefined || (err as { code?: unknown }).code !== 'P2002') throw err;
            const winner = await deps.prisma.note.findUniqueOrThrow({ where: { authorId_idempotencyKey: { authorId: ctx.actor.userId, idempotencyKey: key } } });
            if (!sameNote(winner)) throw idempotencyConflict();
            return winner;
          }));
      // The timeline already has it when an earlier attempt's signal went through.
      const known =
        earlier !== null &&
        (await deps.prisma.timelineEntry.count({ where: { caseId: c.id, kind: 'note_added', data: { path: ['noteId'], equals: note.id } } })) > 0;
      const signalled = known || (await withWorkflowDeadline(
        deps,
        () => handle(c.id).signal(noteAddedSignal, { noteId: note.id, actor: caseActorOf(ctx.actor), at: note.createdAt.toISOString() }),
        SIGNAL_TIMEOUT_MS,
      ).then(
        () => true,
        (err: unknown) => {
          (req.log ?? deps.logger).warn({ err: loggableError(err) }, 'note signal failed; the note is saved');
          return false;
        },
      ));
      const { idempotencyKey: _key, ...shown } = note;
      return { status: 201, body: { note: shown, signalled } };
    }),
  );

  const ensureStarted = (caseId: string) =>
    ensureCaseWorkflow(intakeDeps, caseId, deps.testing?.protocolOverrides);

  const caseAction = <B>(
    action: Action,
    updateName: string,
    schema: Parameters<typeof parseBody>[0],
    args: (actor: CaseActor, body: B) => unknown,
    check?: (body: B) => void,
  ) =>
    endpoint(deps, action, async (req, ctx) => {
      const key = idempotencyKeyOf(req);
      const body = parseBody(schema, req.body) as B;
      check?.(body);
      const c = await visibleCase(deps, ctx, String(req.params.id));
      const outcome = await runAction(actionDeps(deps, ensureStarted), ctx.actor, key, {
        action,
        caseId: c.id,
        workflowId: c.workflowId,
        updateName,
        args: [args(caseActorOf(ctx.actor), body)],
        body,
      });
      return actionReply(outcome, ctx);
    });

  type ReasonBody = { reason: string };
  router.post('/:id/cancel', caseAction<ReasonBody>('case.cancel', cancelCaseUpdate.name, reasonBody, (actor, { reason }) => ({ actor, reason })));
  router.post('/:id/override-scope', caseAction<ReasonBody>('case.override_scope', overrideScopeUpdate.name, reasonBody, (actor, { reason }) => ({ actor, reason })));
  router.post(
    '/:id/move-handover',
    caseAction<{ at: string; reason: string }>('case.move_handover', moveHandoverUpdate.name, moveHandoverBody, (actor, { at, reason }) => ({ actor, at, reason }), ({ at }) =>
      requireInWindow('at', at, handoverMoveWindow(Date.now(), deps.config.dateWindows)),
    ),
  );
  router.post('/:id/escalate', caseAction<ReasonBody>('case.escalate', escalateCaseUpdate.name, reasonBody, (actor, { reason }) => ({ actor, reason })));
  // After a write the database refused (supervision: persistence_failed) and its cause is fixed.
  router.post('/:id/retry-persistence', caseAction<Record<string, never>>('case.retry_persistence', retryPersistenceUpdate.name, emptyBody, (actor) => ({ actor })));

  return router;
}
