import type { Logger } from 'pino';
import { startPeriodic } from '../runtime/periodic';
import type { PrismaClient } from '../generated/prisma/client';
import type { MilestoneActor } from '../contract/milestones';
import { loadMilestoneSettings } from './settings';

/**
 * The deadline sweeper (worker side, like the reconciler): marks overdue milestones missed and
 * writes reminders at the Ambito's lead times (MilestoneSettings, defaults in
 * src/milestones/catalog.ts) into the notification outbox, once each (ids keyed by milestone and
 * lead). Reminders of a term handed to the territorial service go to the Comune's social workers.
 */

export interface SweepResult {
  missed: number;
  reminders: number;
}

const BATCH = 500;
const MAX_LEAD_MS = 60 * 86_400_000;

export async function sweepMilestonesOnce(deps: { prisma: PrismaClient; logger?: Logger }, now = Date.now()): Promise<SweepResult> {
  const { prisma } = deps;
  const result: SweepResult = { missed: 0, reminders: 0 };
  const overdue = await prisma.milestone.findMany({
    where: { state: 'due', dueAt: { lt: new Date(now) } },
    include: { case: { select: { competentComuneCode: true } } },
    orderBy: { dueAt: 'asc' },
    take: BATCH,
  });
  for (const m of overdue) {
    await prisma.$transaction(async (tx) => {
      const done = await tx.milestone.updateMany({ where: { id: m.id, state: 'due' }, data: { state: 'missed', missedAt: new Date(now) } });
      if (done.count !== 1) return;
      result.missed += 1;
      await tx.notification.createMany({
        data: [{ id: `${m.id}:missed`, caseId: m.caseId, kind: 'milestone_missed', recipientRole: 'coordinator', deliveredAt: new Date(now) }],
        skipDuplicates: true,
      });
    });
  }
  const upcoming = await prisma.milestone.findMany({
    where: { state: 'due', dueAt: { gte: new Date(now), lte: new Date(now + MAX_LEAD_MS) } },
    include: { case: { select: { ambitoId: true, competentComuneCode: true } } },
    take: BATCH,
  });
  const settings = await loadMilestoneSettings(prisma, upcoming.map((m) => m.case.ambitoId));
  const rows = [];
  for (const m of upcoming) {
    const leads = settings.get(m.case.ambitoId)?.reminderLeadMinutes[m.actor as MilestoneActor] ?? [];
    const toComune = m.actor === 'territorial_service' && m.case.competentComuneCode !== null;
    for (const lead of leads) {
      if (m.dueAt.getTime() - lead * 60_000 > now) continue;
      rows.push({
        id: `${m.id}:lead${lead}`,
        caseId: m.caseId,
        kind: 'milestone_reminder',
        recipientRole: toComune ? 'social_worker' : 'coordinator',
        comuneCode: toComune ? m.case.competentComuneCode : null,
        deliveredAt: new Date(now),
      });
    }
  }
  if (rows.length > 0) result.reminders = (await prisma.notification.createMany({ data: rows, skipDuplicates: true })).count;
  if (result.missed + result.reminders > 0) deps.logger?.info(result, 'milestone sweep');
  return result;
}

/** Runs the sweep now and every `intervalSeconds`; the returned function stops it. */
export function startMilestoneSweeper(deps: { prisma: PrismaClient; logger: Logger }, intervalSeconds: number): () => Promise<void> {
  return startPeriodic('milestone sweep', () => sweepMilestonesOnce(deps), deps.logger, intervalSeconds);
}
