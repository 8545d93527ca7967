import { isOfficeOpen, nextOpening, type OfficeCalendar } from '../calendar';
import type { PrismaClient } from '../generated/prisma/client';
import { Prisma } from '../generated/prisma/client';
import { LAW_ENFORCEMENT_FORCES } from '../domain';
import type { TaskForm } from '../workflows/steps/registry';
import type { HandoverTarget, PendingSubmission, ScopeAssessment } from '../workflows/model';
import type { Notifier } from './notifier';
import { taskColumns } from '../db/task-row';
import { persistenceFailure } from './persistence-errors';
import { confirmActivation, releaseCaseHolds } from '../resources/holds';
import { persistMilestones } from '../milestones/derive';
import { caseChange, type ChangeEventRow, recordChangeEvents, taskChanges } from '../alerts/change-events';
import type {
  AssessScopeInput,
  CaseActivities,
  ComputeHandoverInput,
  PersistCaseInput,
  PrepareHandoverInput,
  ReportPersistenceFailureInput,
} from '../workflows/activity-types';

export interface ActivityDeps {
  prisma: PrismaClient;
  notifier: Notifier;
}

export const PROTECTED_ADDRESS_PLACEHOLDER = '[indirizzo protetto]';

/** Generous limits: on a loaded machine a short timeout only turns slowness into retries. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 25_000 };

/** Activities of the case workflow. Every one is idempotent: safe to retry at any point. */
export function createActivities({ prisma, notifier }: ActivityDeps): CaseActivities {
  async function calendarOf(comuneCode: string): Promise<OfficeCalendar | undefined> {
    const comune = await prisma.comune.findUnique({ where: { code: comuneCode } });
    return comune ? (comune.calendar as unknown as OfficeCalendar) : undefined;
  }

  return {
    async assessScope(input: AssessScopeInput): Promise<ScopeAssessment> {
      const reasons: ScopeAssessment['reasons'] = [];
      if (!LAW_ENFORCEMENT_FORCES.includes(input.reportingForce)) reasons.push('not_law_enforcement');
      const calendar = await calendarOf(input.eventComuneCode);
      if (calendar && isOfficeOpen(calendar, input.reportedAt)) reasons.push('offices_open');
      return { inScope: reasons.length === 0, reasons };
    },

    async computeHandover(input: ComputeHandoverInput): Promise<HandoverTarget> {
      const residence = input.residenceComuneCode
        ? await prisma.comune.findUnique({ where: { code: input.residenceComuneCode } })
        : null;
      const inAmbito = residence?.ambitoId === input.ambitoId;
      const external = input.residenceComuneCode !== undefined && !inAmbito;
      const comuneCode = inAmbito && residence ? residence.code : external ? (input.residenceComuneCode as string) : input.eventComuneCode;
      // External Comuni have no calendar here: the coordinator sends the handover at the next
      // opening of the Comune of the event.
      const calendar = await calendarOf(inAmbito ? comuneCode : input.eventComuneCode);
      if (!calendar) throw new Error(`no office calendar for Comune ${input.eventComuneCode}`);
      const openingAt = new Date(nextOpening(calendar, input.notBefore)).toISOString();
      return { comuneCode, external, openingAt };
    },

    async prepareHandoverSummary({ caseId, target }: PrepareHandoverInput): Promise<void> {
      const c = await prisma.case.findUniqueOrThrow({
        where: { id: caseId },
        include: { people: true, submissions: true, reminders: true, activations: true, report: true },
      });
      const summary = {
        reference: c.reference,
        categories: c.categories,
        riskLevel: c.riskLevel,
        flags: c.flags,
        reportedAt: c.reportedAt.toISOString(),
        eventComuneCode: c.eventComuneCode,
        residenceComuneCode: c.residenceComuneCode,
        people: c.people.map((p) => ({ role: p.role, firstName: p.firstName, lastName: p.lastName, birthYear: p.birthYear, isMinor: p.isMinor })),
        narrative: c.report?.narrative ?? null,
        completedTasks: c.submissions.map((s) => ({ type: s.type, submittedAt: s.submittedAt.toISOString() })),
        resourcesActivated: c.activations.map((a) => ({ kind: a.kind, resourceId: a.resourceId, at: a.activatedAt.toISOString() })),
        followUpClocks: c.reminders.map((r) => ({ kind: r.kind, dueAt: r.dueAt.toISOString(), handedTo: r.handedTo })),
      };
      await prisma.handoverSummary.upsert({
        where: { caseId },
        create: { caseId, comuneCode: target.comuneCode, external: target.external, openingAt: new Date(target.openingAt), summary },
        update: { comuneCode: target.comuneCode, external: target.external, openingAt: new Date(target.openingAt), summary },
      });
    },

    async persistCase(input: PersistCaseInput): Promise<void> {
      try {
        await persistCaseInTransaction(input);
      } catch (err) {
        // Permanent (the database refuses the data) ⇒ non-retryable; anything else is retried.
        throw persistenceFailure(err);
      }
      for (const n of input.notifications) {
        await notifier.send({ ...n, caseId: input.snapshot.caseId });
        await prisma.notification.updateMany({ where: { id: n.id, deliveredAt: null }, data: { deliveredAt: new Date() } });
      }
    },

    async reportPersistenceFailure({ caseId, since, errorClass, code }: ReportPersistenceFailureInput): Promise<void> {
      try {
        await prisma.case.updateMany({
          where: { id: caseId },
          data: { persistenceFailedAt: new Date(since), persistenceError: `${errorClass} ${code}`.trim().slice(0, 200) },
        });
      } catch (err) {
        throw persistenceFailure(err);
      }
    },
  };

  async function persistCaseInTransaction({ snapshot, decisions, submissions, notifications }: PersistCaseInput): Promise<void> {
      const caseId = snapshot.caseId;
      await prisma.$transaction(async (tx) => {
        // Snapshots may arrive out of order after retries: never overwrite a newer one.
        const updated = await tx.case.updateMany({
          where: { id: caseId, revision: { lt: snapshot.revision } },
          data: {
            revision: snapshot.revision,
            status: snapshot.status,
            step: snapshot.step,
            riskLevel: snapshot.riskLevel ?? null,
            flags: snapshot.flags,
            competentComuneCode: snapshot.competentComuneCode ?? null,
            externalHandover: snapshot.externalHandover,
            handoverAt: dateOrNull(snapshot.handoverAt),
            overdueSince: dateOrNull(snapshot.overdueSince),
            lastProgressAt: new Date(snapshot.lastProgressAt),
            openTaskRoles: snapshot.openTaskRoles,
            outcomeCode: snapshot.outcomeCode ?? null,
            outcomeReason: snapshot.outcomeReason ?? null,
            closedAt: dateOrNull(snapshot.closedAt),
            persistenceFailedAt: null,
            persistenceError: null,
          },
        });
        const { count: caseUpdated } = updated;
        const current = await tx.case.findUniqueOrThrow({
          where: { id: caseId },
          select: { revision: true, ambitoId: true, eventComuneCode: true, competentComuneCode: true },
        });
        const stale = current.revision > snapshot.revision;
        // What the console's push stream hears about (src/alerts): changed tasks, the case.
        const changes: ChangeEventRow[] = [];
        const codes = { caseId, ambitoId: current.ambitoId, eventComuneCode: current.eventComuneCode, competentComuneCode: current.competentComuneCode };
        if (caseUpdated > 0) changes.push(caseChange(codes));
        if (!stale) {
          // A lean write (`snapshot.partial`) carries only the tasks that changed: compare those.
          const before = snapshot.tasks.length === 0 ? [] : await tx.task.findMany({
            where: { caseId, id: { in: snapshot.tasks.map((t) => t.id) } },
            select: { id: true, type: true, status: true, candidateRole: true, comuneCode: true, assigneeId: true, dueAt: true, escalatedAt: true },
          });
          changes.push(...taskChanges(codes, before, snapshot.tasks.map((t) => ({ id: t.id, ...taskColumns(caseId, t) }))));
          for (const t of snapshot.tasks) {
            const data = {
              ...taskColumns(caseId, t),
              escalation: { ...t.escalation, remindedAt: t.remindedAt ?? null, subjectTaskId: t.subjectTaskId ?? null, reason: t.reason ?? null },
            };
            await tx.task.upsert({ where: { id: t.id }, create: { id: t.id, ...data }, update: data });
          }
          for (const r of snapshot.reminders) {
            const data = { caseId, kind: r.kind, dueAt: new Date(r.dueAt), firedAt: dateOrNull(r.firedAt), handedTo: r.handedTo };
            await tx.reminder.upsert({ where: { id: r.id }, create: { id: r.id, ...data }, update: data });
          }
        }
        if (decisions.length > 0) {
          await tx.timelineEntry.createMany({
            data: decisions.map((d) => ({
              id: `${caseId}-d${d.seq}`,
              caseId,
              seq: d.seq,
              at: new Date(d.at),
              actorId: d.actorId,
              actorRole: d.actorRole,
              kind: d.kind,
              data: d.data as Prisma.InputJsonValue,
            })),
            skipDuplicates: true,
          });
          // The audit row of a user's action commits with the change it records, once.
          const audited = decisions.filter((d) => d.audit !== undefined);
          if (audited.length > 0) {
            await tx.auditEvent.createMany({
              data: audited.map((d) => ({
                at: new Date(d.at),
                userId: d.actorId,
                role: d.actorRole,
                action: d.audit?.action ?? d.kind,
                caseId,
                outcome: d.audit?.outcome ?? 'success',
                requestId: d.audit?.requestId.slice(0, 200) ?? null,
                decisionId: `${caseId}-d${d.seq}`,
              })),
              skipDuplicates: true,
            });
          }
        }
        for (const s of submissions) await persistSubmission(tx, caseId, s);
        // A closed case gives back the resource units its interventions held (src/resources/holds.ts).
        if (!stale && snapshot.status === 'closed') await releaseCaseHolds(tx, caseId);
        if (notifications.length > 0) {
          await tx.notification.createMany({
            data: notifications.map((n) => ({
              id: n.id,
              caseId,
              kind: n.kind,
              recipientRole: n.recipientRole,
              comuneCode: n.comuneCode ?? null,
              taskId: n.taskId ?? null,
            })),
            skipDuplicates: true,
          });
        }
        // Legal deadlines opened by what the protocol recorded (idempotent, keyed by case and kind).
        if (!stale) await persistMilestones(tx, snapshot);
        await recordChangeEvents(tx, changes);
      }, TRANSACTION_OPTIONS);
  }
}

function dateOrNull(iso: string | undefined): Date | null {
  return iso === undefined ? null : new Date(iso);
}

async function persistSubmission(tx: Prisma.TransactionClient, caseId: string, s: PendingSubmission): Promise<void> {
  let form = s.form as Record<string, unknown>;
  if (s.type === 'av_protected_placement') {
    // The protected address goes only to the table that authorised roles may read.
    const f = s.form as TaskForm<'av_protected_placement'>;
    await tx.protectedPlacement.upsert({
      where: { id: s.taskId },
      create: {
        id: s.taskId,
        caseId,
        resourceId: f.resourceId ?? null,
        address: f.protectedAddress,
        placedAt: new Date(f.placedAt),
        createdById: s.submittedById,
      },
      update: {},
    });
    form = { ...form, protectedAddress: PROTECTED_ADDRESS_PLACEHOLDER };
  }
  if (s.type === 'intervention') {
    const f = s.form as TaskForm<'intervention'>;
    await tx.resourceActivation.createMany({
      data: f.resourcesActivated.map((r, i) => ({
        id: `${s.taskId}-r${i + 1}`,
        caseId,
        resourceId: r.resourceId ?? null,
        kind: r.type,
        activatedAt: new Date(r.activatedAt),
        byUserId: s.submittedById,
      })),
      skipDuplicates: true,
    });
    for (const r of f.resourcesActivated) {
      if (r.resourceId !== undefined) await confirmActivation(tx, { taskId: s.taskId, caseId, resourceId: r.resourceId, byUserId: s.submittedById });
    }
  }
  await tx.taskSubmission.createMany({
    data: [
      {
        taskId: s.taskId,
        caseId,
        type: s.type,
        form: form as Prisma.InputJsonValue,
        submittedById: s.submittedById,
        submittedAt: new Date(s.submittedAt),
      },
    ],
    skipDuplicates: true,
  });
}

export type { CaseActivities } from '../workflows/activity-types';
