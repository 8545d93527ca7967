import type { PrismaClient } from '../generated/prisma/client';
import { DEFAULT_PROTOCOL_SETTINGS, protocolSettingsOverridesSchema as overridesSchema, type ProtocolSettings } from '../workflows/steps/registry';

/**
 * Protocol timings for an Ambito: the defaults overlaid with the row in `ProtocolSettings`.
 * A case keeps the settings it started with (they travel in the workflow input).
 */
export async function loadProtocolSettings(prisma: PrismaClient, ambitoId: string): Promise<ProtocolSettings> {
  const row = await prisma.protocolSettings.findUnique({ where: { ambitoId } });
  if (!row) return { ...DEFAULT_PROTOCOL_SETTINGS };
  const parsed = overridesSchema.safeParse(row.settings);
  if (!parsed.success) {
    throw new Error(`ProtocolSettings of ambito ${ambitoId} are invalid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  const overrides = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Partial<ProtocolSettings>;
  return { ...DEFAULT_PROTOCOL_SETTINGS, ...overrides };
}

export function validateProtocolOverrides(value: unknown): Partial<ProtocolSettings> {
  return overridesSchema.parse(value);
}
