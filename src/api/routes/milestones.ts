import { Router } from 'express';
import { z } from 'zod';
import type { Milestone, Prisma } from '../../generated/prisma/client';
import type { Actor } from '../../domain';
import {
  EVIDENCE_CHANNELS,
  EVIDENCE_FIELDS,
  type EvidenceField,
  MILESTONE_KINDS,
  MILESTONE_LABELS,
  MILESTONE_STATES,
  type CaseMilestones,
  type MilestoneActor,
  type MilestoneItem,
  type MilestoneKind,
  type MilestoneRow,
  type MilestoneState,
} from '../../contract/milestones';
import type { Sent } from '../../contract/api';
import { isoInstant } from '../../instants';
import { text } from '../../text';
import { MILESTONES } from '../../milestones/catalog';
import { refreshChains, stateForEvidence } from '../../milestones/derive';
import { loadMilestoneSettings } from '../../milestones/settings';
import type { MilestoneSettingsValues } from '../../milestones/catalog';
import { documentsFor } from '../../documents';
import { recordAudit } from '../audit';
import { can, caseScope, forbidden } from '../authorization';
import { ProblemError } from '../problem';
import { type ApiDeps, endpoint, parseBody, parseQuery } from './context';
import { visibleCase } from './cases';

/**
 * Legal deadlines: a case's milestones (`GET /api/cases/:id/milestones`), evidence entry
 * (`POST /api/cases/:id/milestones/:milestoneId/evidence`) and the "Scadenze" view across cases
 * (`GET /api/milestones`). Every query goes through caseScope/canSeeCase.
 */

export const evidenceBody = z
  .object({
    state: z.enum(['met', 'not_applicable']).default('met').describe('`met` con l’evidenza richiesta; `not_applicable` (solo coordinatore) con una nota'),
    sentAt: isoInstant().optional().describe('Data e ora di invio'),
    channel: z.enum(EVIDENCE_CHANNELS).optional().describe('Canale'),
    pecProtocol: text({ max: 100, min: 1 }).optional().describe('Protocollo PEC'),
    decreeDate: isoInstant().optional().describe('Data del provvedimento'),
    hearingDate: isoInstant().optional().describe('Data dell’udienza o del colloquio'),
    note: text({ max: 1000, min: 1 }).optional().describe('Note'),
  })
  .strict();

export const milestoneListQuery = z
  .object({
    state: z.enum(MILESTONE_STATES).optional(),
    kind: z.enum(MILESTONE_KINDS).optional(),
    dueBefore: isoInstant().optional().describe('Solo scadenze entro questo istante'),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

const MILESTONE_ID = /^[0-9a-f-]{36}:[a-z0-9_]{1,40}$/;
const STATE_ORDER: Record<string, number> = { due: 0, missed: 1, met: 2, not_applicable: 3 };
/** Clock skew tolerated on "not in the future" (a device a little ahead). */
const FUTURE_SKEW_MS = 5 * 60_000;

function mayEnterEvidence(actor: Actor, actorOfMilestone: string): boolean {
  if (actor.role === 'coordinator') return true;
  return actor.role === 'emergency_operator' && actorOfMilestone === 'us';
}

function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

export function presentMilestone(m: Milestone, actor: Actor, settings: MilestoneSettingsValues, now: number): Sent<MilestoneItem> {
  const kind = m.kind as MilestoneKind;
  const milestoneActor = m.actor as MilestoneActor;
  const lead = Math.max(0, ...settings.reminderLeadMinutes[milestoneActor]);
  return {
    id: m.id,
    caseId: m.caseId,
    kind,
    label: MILESTONE_LABELS[kind] ?? m.kind,
    legalSource: m.legalSource,
    actor: milestoneActor,
    triggerAt: m.triggerAt.toISOString(),
    triggerEstimated: m.triggerEstimated,
    dueAt: m.dueAt.toISOString(),
    state: m.state as MilestoneState,
    dueSoon: m.state === 'due' && m.dueAt.getTime() - now <= lead * 60_000,
    requiredEvidence: MILESTONES[kind]?.required ?? [],
    evidence: {
      sentAt: iso(m.sentAt),
      channel: m.channel,
      pecProtocol: m.pecProtocol,
      decreeDate: iso(m.decreeDate),
      hearingDate: iso(m.hearingDate),
      note: m.note,
      byId: m.evidenceById,
      byRole: m.evidenceByRole,
      at: iso(m.evidenceAt),
    },
    canEnterEvidence: can(actor, 'milestone.evidence') && mayEnterEvidence(actor, m.actor) && m.evidenceAt === null && (m.state === 'due' || m.state === 'missed'),
  };
}

function sortForLedger<T extends { state: string; dueAt: Date }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) || a.dueAt.getTime() - b.dueAt.getTime());
}

function invalid(field: string, message: string): ProblemError {
  return new ProblemError(422, { title: 'Validation Failed', detail: 'Dati non validi', errors: [{ path: field, message }] });
}

export function milestonesRouter(deps: ApiDeps): { cases: Router; ledger: Router } {
  const cases = Router();
  const ledger = Router();

  cases.get(
    '/:id/milestones',
    endpoint(deps, 'milestone.read', async (req, ctx) => {
      const c = await visibleCase(deps, ctx, req.params.id as string);
      const rows = await deps.prisma.milestone.findMany({ where: { caseId: c.id }, orderBy: { dueAt: 'asc' } });
      const settings = (await loadMilestoneSettings(deps.prisma, [c.ambitoId])).get(c.ambitoId) as MilestoneSettingsValues;
      const now = Date.now();
      const documents = await documentsFor(deps.prisma, ctx.actor, c);
      const body = { items: sortForLedger(rows).map((m) => presentMilestone(m, ctx.actor, settings, now)), documents } satisfies Sent<CaseMilestones>;
      return { body };
    }),
  );

  cases.post(
    '/:id/milestones/:milestoneId/evidence',
    endpoint(deps, 'milestone.evidence', async (req, ctx) => {
      const c = await visibleCase(deps, ctx, req.params.id as string);
      const id = req.params.milestoneId as string;
      const row = MILESTONE_ID.test(id) ? await deps.prisma.milestone.findUnique({ where: { id } }) : null;
      if (!row || row.caseId !== c.id) throw new ProblemError(404, { detail: 'Scadenza non trovata' });
      if (!mayEnterEvidence(ctx.actor, row.actor)) throw forbidden('Evidenza di competenza del coordinatore');
      const data = parseBody(evidenceBody, req.body);
      const now = Date.now();
      const from = c.reportedAt.getTime();
      const dates: Array<'sentAt' | 'decreeDate' | 'hearingDate'> = ['sentAt', 'decreeDate', 'hearingDate'];
      for (const f of dates) {
        const v = data[f];
        if (v === undefined) continue;
        const t = Date.parse(v);
        if (t < from) throw invalid(f, 'data precedente alla segnalazione del caso');
        if (t > now + FUTURE_SKEW_MS) throw invalid(f, 'data nel futuro');
      }
      const kind = row.kind as MilestoneKind;
      const spec = MILESTONES[kind];
      if (!spec) throw new ProblemError(409, { detail: 'Scadenza di un tipo non più gestito' });
      if (row.evidenceAt !== null || row.state === 'met' || row.state === 'not_applicable') {
        throw new ProblemError(409, { detail: 'Scadenza già chiusa', extensions: { code: 'MILESTONE_CLOSED' } });
      }
      let state: MilestoneState;
      if (data.state === 'not_applicable') {
        if (ctx.actor.role !== 'coordinator') throw forbidden('Solo il coordinatore può dichiarare non applicabile una scadenza');
        if (data.note === undefined) throw invalid('note', 'indicare perché la scadenza non si applica');
        state = 'not_applicable';
      } else {
        const missing = spec.required.filter((f: EvidenceField) => data[f] === undefined);
        if (missing.length > 0) {
          throw new ProblemError(422, {
            title: 'Validation Failed',
            detail: 'Evidenza mancante per segnare la scadenza come adempiuta',
            errors: missing.map((f) => ({ path: f, message: 'obbligatorio per segnare la scadenza come adempiuta' })),
          });
        }
        const key = spec.required.find((f) => f === 'sentAt' || f === 'decreeDate' || f === 'hearingDate') as 'sentAt' | 'decreeDate' | 'hearingDate';
        state = stateForEvidence(Date.parse(data[key] as string), row.dueAt.getTime());
      }
      const fields = Object.fromEntries(EVIDENCE_FIELDS.filter((f) => data[f] !== undefined).map((f) => [f, data[f]]));
      const date = (v: string | undefined) => (v === undefined ? undefined : new Date(v));
      const updated = await deps.prisma.$transaction(async (tx: Prisma.TransactionClient) => {
        const done = await tx.milestone.updateMany({
          where: { id, evidenceAt: null, state: { in: ['due', 'missed'] } },
          data: {
            state,
            sentAt: date(data.sentAt),
            channel: data.channel,
            pecProtocol: data.pecProtocol,
            decreeDate: date(data.decreeDate),
            hearingDate: date(data.hearingDate),
            note: data.note,
            evidenceById: ctx.actor.userId,
            evidenceByRole: ctx.actor.role,
            evidenceAt: new Date(now),
            missedAt: state === 'missed' ? (row.missedAt ?? new Date(now)) : row.missedAt,
          },
        });
        if (done.count !== 1) throw new ProblemError(409, { detail: 'Scadenza già chiusa', extensions: { code: 'MILESTONE_CLOSED' } });
        await tx.milestoneEvidence.create({ data: { milestoneId: id, caseId: c.id, userId: ctx.actor.userId, role: ctx.actor.role, state, fields } });
        await recordAudit(tx, { actor: ctx.actor, action: 'milestone.evidence', caseId: c.id, outcome: 'success', requestId: ctx.requestId });
        await refreshChains(tx, c.id, now);
        return tx.milestone.findUniqueOrThrow({ where: { id } });
      });
      ctx.audited = true;
      const settings = (await loadMilestoneSettings(deps.prisma, [c.ambitoId])).get(c.ambitoId) as MilestoneSettingsValues;
      return { body: presentMilestone(updated, ctx.actor, settings, Date.now()) };
    }),
  );

  ledger.get(
    '/',
    endpoint(deps, 'milestone.list', async (req, ctx) => {
      const q = parseQuery(milestoneListQuery, req.query);
      const where: Prisma.MilestoneWhereInput = {
        case: caseScope(ctx.actor),
        ...(q.state !== undefined && { state: q.state }),
        ...(q.kind !== undefined && { kind: q.kind }),
        ...(q.dueBefore !== undefined && { dueAt: { lte: new Date(q.dueBefore) } }),
      };
      const rows = await deps.prisma.milestone.findMany({
        where,
        include: { case: { select: { reference: true, eventComuneCode: true, competentComuneCode: true, ambitoId: true } } },
        orderBy: { dueAt: 'asc' },
        take: q.limit,
      });
      const settings = await loadMilestoneSettings(deps.prisma, rows.map((r) => r.case.ambitoId));
      const now = Date.now();
      const items = sortForLedger(rows).map(
        (m): Sent<MilestoneRow> => ({
          ...presentMilestone(m, ctx.actor, settings.get(m.case.ambitoId) as MilestoneSettingsValues, now),
          case: { reference: m.case.reference, eventComuneCode: m.case.eventComuneCode, competentComuneCode: m.case.competentComuneCode },
        }),
      );
      return { body: { items } };
    }),
  );

  return { cases, ledger };
}
