import { type Request, Router } from 'express';
import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client';
import {
  type CaseView,
  caseWorkflowId,
  getCaseQuery,
  claimTaskUpdate,
  completeTaskUpdate,
  reassignTaskUpdate,
} from '../../workflows/definitions';
import type { Sent, TaskItem } from '../../contract/api';
import { taskColumns } from '../../db/task-row';
import { TASK_FORMS, type TaskForm, type TaskType, validateTaskForm } from '../../workflows/steps/registry';
import type { Actor } from '../../domain';
import { activatedResources, holdUnits } from '../../resources/holds';
import { can, canSeeCase, caseActorOf, forbidden, taskScope } from '../authorization';
import { ProblemError } from '../problem';
import { type ActionSpec, runAction } from '../action-requests';
import { caseErrorProblem, temporalProblem } from '../temporal-errors';
import { requireInWindow, submittedAtWindow } from '../date-windows';
import { actionDeps, actionReply, type ApiDeps, endpoint, idempotencyKeyOf, notFound, parseBody, parseQuery, type RequestContext, withWorkflowDeadline } from './context';
import { completeTaskBody, reassignTaskBody, TASK_ID, taskListQuery } from './schemas';
import { presentTaskRow } from './views';
import { afterWhere, encodeCursor, fingerprint, keyValue, orderByOf, pageStart, type SortKey } from '../cursor';

const ACTIVE = ['open', 'claimed'];
/** The task list's order: due time (none last), then creation, then id. */
const TASK_KEYS: SortKey[] = [
  { field: 'dueAt', order: 'asc', nullable: true },
  { field: 'createdAt', order: 'asc' },
  { field: 'id', order: 'asc' },
];
/** Above this many matches the task list reports `totalCapped` rather than an exact total. */
export const TASK_COUNT_CAP = 10_000;
/** How long a task read may wait for the workflow when the read model has no row yet. */
const TASK_FALLBACK_TIMEOUT_MS = 5000;
const CASE_SELECT = { id: true, reference: true, status: true, step: true, riskLevel: true, ambitoId: true, eventComuneCode: true, competentComuneCode: true } as const;
type TaskWithCase = Prisma.TaskGetPayload<{ include: { case: { select: typeof CASE_SELECT } } }>;

function isTaskType(type: string): type is TaskType {
  return type in TASK_FORMS;
}

/** JSON Schema of each task form (what the console renders), computed once. */
const formSchemas = new Map<string, unknown>();
export function formJsonSchema(type: TaskType): unknown {
  let schema = formSchemas.get(type);
  if (schema === undefined) {
    schema = z.toJSONSchema(TASK_FORMS[type], { io: 'input', unrepresentable: 'any' });
    formSchemas.set(type, schema);
  }
  return schema;
}

function listWhere(actor: Actor, q: ReturnType<typeof taskListQuery.parse>): Prisma.TaskWhereInput {
  const scope = q.scope ?? (actor.role === 'coordinator' ? 'all' : undefined);
  if (scope === 'all' && actor.role !== 'coordinator') throw forbidden('Solo il coordinatore vede tutte le attività');
  const mine: Prisma.TaskWhereInput = { assigneeId: actor.userId };
  const available: Prisma.TaskWhereInput = {
    status: 'open',
    candidateRole: actor.role,
    ...(actor.role === 'social_worker' && { comuneCode: actor.comuneCode ?? '-' }),
  };
  const and: Prisma.TaskWhereInput[] = [taskScope(actor)];
  if (scope === 'mine') and.push(mine);
  else if (scope === 'available') and.push(available);
  else if (scope === undefined) and.push({ OR: [mine, available] });
  // `available` already means status open (running): no second status clause for the planner to misjudge.
  if (q.status === 'active') {
    if (scope !== 'available') and.push({ status: { in: ACTIVE } });
  }
  else and.push({ status: q.status });
  if (q.type !== undefined) and.push({ type: q.type });
  if (q.caseId !== undefined) and.push({ caseId: q.caseId });
  if (q.overdue !== undefined) {
    const now = new Date();
    // With status=active already required, overdue adds the due time alone: the same status IN
    // twice makes PostgreSQL square its selectivity and pass over the running tasks' index.
    const overdue: Prisma.TaskWhereInput = q.status === 'active' ? { dueAt: { lte: now } } : { status: { in: ACTIVE }, dueAt: { lte: now } };
    and.push(q.overdue ? overdue : { OR: [{ dueAt: null }, { dueAt: { gt: now } }, { status: { notIn: ACTIVE } }] });
  }
  return { AND: and };
}

export function tasksRouter(deps: ApiDeps): Router {
  const router = Router();

  async function visibleTask(ctx: RequestContext, id: string) {
    if (!TASK_ID.test(id)) throw notFound('task');
    const task = await deps.prisma.task.findUnique({ where: { id }, include: { case: { select: CASE_SELECT } } });
    if (task) {
      ctx.caseId = task.caseId;
      // Outside the actor's scope: as if it did not exist (the refusal is audited with the case id).
      if (!canSeeCase(ctx.actor, task.case)) throw notFound('task');
      return task;
    }
    return taskFromWorkflow(ctx, id);
  }

  /**
   * Read-your-writes: a task the workflow created may not be in the read model yet. Its id holds
   * the case id: authorise on the case row, then read the task from the workflow (bounded wait).
   */
  async function taskFromWorkflow(ctx: RequestContext, id: string): Promise<TaskWithCase> {
    const caseId = id.slice(0, 36);
    const c = await deps.prisma.case.findUnique({ where: { id: caseId }, select: { ...CASE_SELECT, workflowId: true } });
    if (!c) throw notFound('task');
    ctx.caseId = c.id;
    if (!canSeeCase(ctx.actor, c)) throw notFound('task');
    let view: CaseView;
    try {
      view = await withWorkflowDeadline(deps, () => deps.temporal.client.workflow.getHandle(c.workflowId).query(getCaseQuery), TASK_FALLBACK_TIMEOUT_MS);
    } catch (err) {
      const problem = temporalProblem(err);
      if (problem?.status === 409) throw notFound('task'); // no running workflow: no such open task
      throw new ProblemError(503, { title: 'Workflow Not Responding', detail: "L'attività non è ancora nel registro e il caso non risponde: riprovare tra poco" });
    }
    const t = view.tasks.find((x) => x.id === id);
    if (!t) throw notFound('task');
    return {
      id: t.id,
      ...taskColumns(c.id, t),
      escalation: t.escalation as unknown as Prisma.JsonValue,
      ambitoId: c.ambitoId,
      case: {
        id: c.id,
        reference: c.reference,
        status: view.status,
        step: view.step,
        riskLevel: view.risk?.level ?? c.riskLevel,
        ambitoId: c.ambitoId,
        eventComuneCode: c.eventComuneCode,
        competentComuneCode: c.competentComuneCode,
      },
    };
  }

  const act = async (
    action: 'task.claim' | 'task.complete' | 'task.reassign',
    ctx: RequestContext,
    req: Request,
    task: TaskWithCase,
    updateName: string,
    args: unknown,
    body: unknown,
    beforeSend?: ActionSpec['beforeSend'],
  ) => {
    const outcome = await runAction(actionDeps(deps), ctx.actor, idempotencyKeyOf(req), {
      action,
      caseId: task.caseId,
      taskId: task.id,
      workflowId: caseWorkflowId(task.caseId),
      updateName,
      args: [args],
      body,
      beforeSend,
    });
    return actionReply(outcome, ctx);
  };

  const present = (t: TaskWithCase | Prisma.TaskGetPayload<{ include: { case: { select: { reference: true; status: true; step: true; riskLevel: true; eventComuneCode: true; competentComuneCode: true } } } }>) => {
    // `ambitoId` (the case's, copied for the task lists' scope) is not part of a task's answer.
    const { case: c, escalation, ambitoId: _ambitoId, ...task } = t;
    return {
      ...task,
      ...presentTaskRow(t, Date.now()),
      escalation,
      case: { reference: c.reference, status: c.status, step: c.step, riskLevel: c.riskLevel, eventComuneCode: c.eventComuneCode, competentComuneCode: c.competentComuneCode },
    } satisfies Sent<TaskItem>;
  };

  router.get(
    '/',
    endpoint(deps, 'task.list', async (req, ctx) => {
      const q = parseQuery(taskListQuery, req.query);
      const where = listWhere(ctx.actor, q);
      const fp = fingerprint(q);
      const after = pageStart(q, TASK_KEYS, fp);
      const [rows, counted] = await Promise.all([
        deps.prisma.task.findMany({
          where: after === undefined ? where : { AND: [where, afterWhere(TASK_KEYS, after, (f) => f !== 'id') as Prisma.TaskWhereInput] },
          include: { case: { select: { reference: true, status: true, step: true, riskLevel: true, eventComuneCode: true, competentComuneCode: true } } },
          orderBy: orderByOf(TASK_KEYS),
          take: q.limit + 1,
          skip: after === undefined ? q.offset : 0,
        }),
        // Bounded: past TASK_COUNT_CAP the total says "at least" (totalCapped) instead of counting every task.
        // Running tasks (about one per running case) are counted exactly, the same answer without
        // the ORDER BY id that a capped count takes (it sorts every match); other statuses grow
        // with the history and keep the cap.
        deps.prisma.task.count({ where, ...(q.status !== 'active' && { take: TASK_COUNT_CAP + 1 }) }),
      ]);
      const items = rows.slice(0, q.limit);
      const last = rows.length > q.limit ? items[items.length - 1] : undefined;
      const nextCursor = last === undefined ? null : encodeCursor([keyValue(last.dueAt), keyValue(last.createdAt), last.id], fp);
      return {
        body: { items: items.map(present), total: Math.min(counted, TASK_COUNT_CAP), totalCapped: counted > TASK_COUNT_CAP, limit: q.limit, offset: q.offset, nextCursor },
      };
    }),
  );

  router.get(
    '/:id',
    endpoint(deps, 'task.read', async (req, ctx) => {
      const task = await visibleTask(ctx, String(req.params.id));
      const submission =
        task.status === 'completed' && can(ctx.actor, 'case.read') ? await deps.prisma.taskSubmission.findUnique({ where: { taskId: task.id } }) : null;
      return {
        body: {
          ...present(task),
          formSchema: isTaskType(task.type) ? formJsonSchema(task.type) : null,
          submission,
        },
      };
    }),
  );

  router.post(
    '/:id/claim',
    endpoint(deps, 'task.claim', async (req, ctx) => {
      if (req.body !== undefined && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body) || Object.keys(req.body as object).length > 0)) {
        throw new ProblemError(400, { detail: 'La presa in carico non ha corpo (o un oggetto vuoto)' });
      }
      const task = await visibleTask(ctx, String(req.params.id));
      return act('task.claim', ctx, req, task, claimTaskUpdate.name, { taskId: task.id, actor: caseActorOf(ctx.actor) }, {});
    }),
  );

  router.post(
    '/:id/complete',
    endpoint(deps, 'task.complete', async (req, ctx) => {
      const body = parseBody(completeTaskBody, req.body);
      requireInWindow('submittedAt', body.submittedAt, submittedAtWindow(Date.now(), deps.config.dateWindows));
      const task = await visibleTask(ctx, String(req.params.id));
      if (!isTaskType(task.type)) throw notFound('task');
      // Validated here too, so a bad form never reaches the workflow.
      const form = validateTaskForm(task.type, body.form);
      if (!form.ok) throw caseErrorProblem('INVALID_FORM', 'Modulo non valido', form.issues);
      const args = { taskId: task.id, actor: caseActorOf(ctx.actor), form: body.form, submittedAt: body.submittedAt ?? new Date().toISOString() };
      // An intervention checks the directory resources it activates (422) and takes a unit of each
      // (409 when none is left) on the first send only: a retry with the same key replays its answer.
      const hold =
        task.type === 'intervention'
          ? async (requestId: string) => {
              const resources = await activatedResources(deps.prisma, (form.data as TaskForm<'intervention'>).resourcesActivated);
              await holdUnits(deps.prisma, { taskId: task.id, caseId: task.caseId, actorId: ctx.actor.userId, requestId, resources });
            }
          : undefined;
      return act('task.complete', ctx, req, task, completeTaskUpdate.name, args, body, hold);
    }),
  );

  router.post(
    '/:id/reassign',
    endpoint(deps, 'task.reassign', async (req, ctx) => {
      const body = parseBody(reassignTaskBody, req.body);
      const task = await visibleTask(ctx, String(req.params.id));
      const assignee = await deps.prisma.user.findUnique({ where: { id: body.assigneeId }, include: { ambiti: { where: { ambitoId: task.case.ambitoId } } } });
      const fits =
        assignee !== null &&
        assignee.active &&
        assignee.role === task.candidateRole &&
        (task.comuneCode === null || assignee.role !== 'social_worker' || assignee.comuneCode === task.comuneCode) &&
        // Someone who could not see the case cannot be given its task.
        (assignee.role === 'social_worker' || assignee.ambiti.length > 0);
      if (!fits) {
        throw new ProblemError(422, {
          title: 'Validation Failed',
          detail: "L'utente indicato non esiste o non può svolgere questa attività",
          errors: [{ path: 'assigneeId', message: `serve un utente attivo con ruolo ${task.candidateRole}` }],
        });
      }
      return act('task.reassign', ctx, req, task, reassignTaskUpdate.name, { taskId: task.id, actor: caseActorOf(ctx.actor), assigneeId: assignee.id, reason: body.reason }, body);
    }),
  );

  return router;
}
