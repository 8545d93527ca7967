import type { Prisma } from '../generated/prisma/client';
import { type MilestoneKind, MILESTONE_SOURCE_TASK_TYPES } from '../contract/milestones';
import type { CaseSnapshot } from '../workflows/snapshot';
import { MILESTONES, milestoneId, nextInChain } from './catalog';
import { dueInstant } from './clocks';

/**
 * Milestones opened from the workflow's snapshot, in the persistence transaction: no workflow
 * code involved, so cases in flight and recorded histories are untouched. Idempotent (one row per
 * case and kind); a row whose evidence a person entered is never overwritten.
 */

export interface Opening {
  kind: MilestoneKind;
  triggerAt: number;
  /** Evidence the protocol's own task already holds (e.g. the art. 403 report's sending). */
  evidence?: { sentAt: number; channel: string; pecProtocol?: string };
  notApplicable?: string;
}

type SubmissionForms = Partial<Record<'art403_report' | 'msna_notices', Record<string, unknown>>>;

function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** What the snapshot (and the forms of the protocol's tasks) say has been triggered. Pure. */
export function openingsFromSnapshot(snapshot: CaseSnapshot, forms: SubmissionForms = {}): Opening[] {
  const out: Opening[] = [];
  const task = (type: string) => snapshot.tasks.find((t) => t.type === type && t.status !== 'cancelled');

  const art403 = task('art403_report');
  if (art403) {
    const placedAt = instant(art403.outcome?.placedAt) ?? Date.parse(art403.createdAt);
    const opening: Opening = { kind: 'art403_report_24h', triggerAt: placedAt };
    const sentAt = instant(art403.outcome?.sentAt);
    const form = forms.art403_report;
    if (art403.status === 'completed' && sentAt !== undefined && typeof form?.channel === 'string') {
      opening.evidence = { sentAt, channel: form.channel, pecProtocol: typeof form.protocolNumber === 'string' ? form.protocolNumber : undefined };
    }
    out.push(opening);
  }

  const consent = task('av_consent');
  const complaintAt = instant(consent?.outcome?.complaintFiledAt);
  if (complaintAt !== undefined) out.push({ kind: 'codice_rosso_hearing_3d', triggerAt: complaintAt });

  const placement = task('msna_placement');
  const placedAt = placement?.status === 'completed' ? instant(placement.outcome?.placedAt) : undefined;
  if (placement && placedAt !== undefined) {
    out.push({ kind: 'msna_identification_10d', triggerAt: placedAt });
    out.push({ kind: 'msna_cultural_mediator', triggerAt: placedAt });
    out.push({ kind: 'msna_first_reception_30d', triggerAt: placedAt });
    const age = placement.outcome?.declaredAge;
    const under16 = typeof age === 'number' && age < 16 ? 'Età dichiarata inferiore a 16 anni' : undefined;
    out.push({ kind: 'msna_adult_facility_90d', triggerAt: placedAt, notApplicable: under16 });
    out.push({ kind: 'msna_adult_facility_max_150d', triggerAt: placedAt, notApplicable: under16 });
    const sim: Opening = { kind: 'msna_sim_registration', triggerAt: placedAt };
    const notices = forms.msna_notices?.notices;
    const ministry = Array.isArray(notices)
      ? (notices as Array<Record<string, unknown>>).find((n) => n.recipient === 'ministero_lavoro')
      : undefined;
    const simSentAt = instant(ministry?.sentAt);
    if (ministry && simSentAt !== undefined && typeof ministry.channel === 'string') {
      sim.evidence = { sentAt: simSentAt, channel: ministry.channel, pecProtocol: typeof ministry.protocolNumber === 'string' ? ministry.protocolNumber : undefined };
    }
    out.push(sim);
  }
  return out;
}

/** met when the evidence came within the term, missed (late, with its evidence) otherwise. */
export function stateForEvidence(evidenceAt: number, dueAt: number): 'met' | 'missed' {
  return evidenceAt <= dueAt ? 'met' : 'missed';
}

/** Opens and updates the case's milestones from its snapshot; call inside the persistence transaction. */
export async function persistMilestones(tx: Prisma.TransactionClient, snapshot: CaseSnapshot, now = Date.now()): Promise<void> {
  const caseId = snapshot.caseId;
  const wanted = snapshot.tasks.some((t) => MILESTONE_SOURCE_TASK_TYPES.includes(t.type));
  if (!wanted) return;
  const submissions = await tx.taskSubmission.findMany({ where: { caseId, type: { in: ['art403_report', 'msna_notices'] } }, select: { type: true, form: true } });
  const forms: SubmissionForms = {};
  for (const s of submissions) forms[s.type as keyof SubmissionForms] = s.form as Record<string, unknown>;
  const openings = openingsFromSnapshot(snapshot, forms);
  if (openings.length === 0) return;
  const existing = await tx.milestone.findMany({ where: { caseId } });
  for (const o of openings) {
    const spec = MILESTONES[o.kind];
    const id = milestoneId(caseId, o.kind);
    const row = existing.find((m) => m.id === id);
    const dueAt = dueInstant(o.triggerAt, spec.clock);
    const evidence = o.evidence
      ? { sentAt: new Date(o.evidence.sentAt), channel: o.evidence.channel, pecProtocol: o.evidence.pecProtocol ?? null, evidenceAt: new Date(now) }
      : {};
    const state = o.notApplicable ? 'not_applicable' : o.evidence ? stateForEvidence(o.evidence.sentAt, dueAt) : undefined;
    if (!row) {
      await tx.milestone.create({
        data: {
          id,
          caseId,
          kind: o.kind,
          legalSource: spec.legalSource,
          actor: spec.actor,
          triggerAt: new Date(o.triggerAt),
          dueAt: new Date(dueAt),
          state: state ?? 'due',
          note: o.notApplicable ?? null,
          ...evidence,
        },
      });
      continue;
    }
    // A person's entry, or a term already closed, stays as it is.
    if (row.evidenceById !== null || row.state === 'met' || row.state === 'not_applicable' || row.sentAt !== null) continue;
    const changed = row.triggerAt.getTime() !== o.triggerAt || state !== undefined;
    if (!changed) continue;
    await tx.milestone.update({
      where: { id },
      data: {
        triggerAt: new Date(o.triggerAt),
        dueAt: new Date(dueAt),
        ...(state !== undefined ? { state, missedAt: state === 'missed' ? new Date(now) : null, note: o.notApplicable ?? row.note } : {}),
        ...evidence,
      },
    });
  }
  await refreshChains(tx, caseId, now);
}

/**
 * Chained terms (art. 403): each one runs from the previous one's evidence (the report's sending,
 * the prosecutor's request, the court's decree) or, while that is missing, from the latest
 * instant the law allows for it (estimated). Opens the next ones once the first exists.
 */
export async function refreshChains(tx: Prisma.TransactionClient, caseId: string, now = Date.now()): Promise<void> {
  const rows = await tx.milestone.findMany({ where: { caseId } });
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  for (const head of rows) {
    if (MILESTONES[head.kind as MilestoneKind].after !== undefined) continue;
    let pred = head;
    for (let kind = nextInChain(pred.kind as MilestoneKind); kind !== undefined; kind = nextInChain(kind)) {
      const spec = MILESTONES[kind];
      const field = spec.after?.field ?? 'sentAt';
      const fromEvidence = pred[field];
      const triggerAt = fromEvidence ?? pred.dueAt;
      const estimated = fromEvidence === null;
      const dueAt = new Date(dueInstant(triggerAt.getTime(), spec.clock));
      const row = byKind.get(kind);
      if (!row) {
        const created = await tx.milestone.create({
          data: {
            id: milestoneId(caseId, kind),
            caseId,
            kind,
            legalSource: spec.legalSource,
            actor: spec.actor,
            triggerAt,
            triggerEstimated: estimated,
            dueAt,
            state: dueAt.getTime() < now ? 'missed' : 'due',
            missedAt: dueAt.getTime() < now ? new Date(now) : null,
          },
        });
        byKind.set(kind, created);
        pred = created;
        continue;
      }
      const open = row.evidenceAt === null && (row.state === 'due' || row.state === 'missed');
      if (open && (row.triggerAt.getTime() !== triggerAt.getTime() || row.triggerEstimated !== estimated)) {
        const missed = dueAt.getTime() < now;
        const updated = await tx.milestone.update({
          where: { id: row.id },
          data: { triggerAt, triggerEstimated: estimated, dueAt, state: missed ? 'missed' : 'due', missedAt: missed ? (row.missedAt ?? new Date(now)) : null },
        });
        byKind.set(kind, updated);
        pred = updated;
      } else {
        pred = row;
      }
    }
  }
}
