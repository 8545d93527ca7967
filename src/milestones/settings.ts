import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';
import { MILESTONE_ACTORS, type MilestoneActor } from '../contract/milestones';
import { DEFAULT_MILESTONE_SETTINGS, type MilestoneSettingsValues } from './catalog';

const leads = z.array(z.number().int().min(1).max(60 * 24 * 60)).max(5);
const overridesSchema = z
  .object({ reminderLeadMinutes: z.object(Object.fromEntries(MILESTONE_ACTORS.map((a) => [a, leads.optional()])) as Record<MilestoneActor, z.ZodOptional<typeof leads>>).partial().optional() })
  .strict();

/** The Ambito's reminder lead times: the defaults in code overlaid with its MilestoneSettings row. */
export function milestoneSettingsFrom(value: unknown): MilestoneSettingsValues {
  const parsed = overridesSchema.safeParse(value ?? {});
  const over = parsed.success ? (parsed.data.reminderLeadMinutes ?? {}) : {};
  const reminderLeadMinutes = { ...DEFAULT_MILESTONE_SETTINGS.reminderLeadMinutes };
  for (const a of MILESTONE_ACTORS) {
    const v = over[a];
    if (v !== undefined) reminderLeadMinutes[a] = v;
  }
  return { reminderLeadMinutes };
}

export async function loadMilestoneSettings(prisma: Pick<PrismaClient, 'milestoneSettings'>, ambitoIds: string[]): Promise<Map<string, MilestoneSettingsValues>> {
  const rows = await prisma.milestoneSettings.findMany({ where: { ambitoId: { in: [...new Set(ambitoIds)] } } });
  const out = new Map<string, MilestoneSettingsValues>();
  for (const id of ambitoIds) out.set(id, milestoneSettingsFrom(rows.find((r) => r.ambitoId === id)?.settings));
  return out;
}

export function validateMilestoneSettings(value: unknown): void {
  overridesSchema.parse(value);
}
