import type { PrismaClient } from '../generated/prisma/client';
import { DEFAULT_PROTOCOL_SETTINGS, protocolSettingsOverridesSchema as overridesSchema, type ProtocolSettings } from '../workflows/steps/registry';

/**
 * Protocol timings for an Ambito: the defaults overlaid with the version of
 * `ProtocolSettingsVersion` in force at `asOf`. A case keeps the settings it started with: they
 * are read once, as of the case's creation, and travel in the workflow input.
 */
export async function loadProtocolSettings(prisma: PrismaClient, ambitoId: string, asOf: Date = new Date()): Promise<ProtocolSettings> {
  const row = await prisma.protocolSettingsVersion.findFirst({
    where: { ambitoId, effectiveFrom: { lte: asOf } },
    orderBy: { effectiveFrom: 'desc' },
  });
  if (!row) return { ...DEFAULT_PROTOCOL_SETTINGS };
  return { ...DEFAULT_PROTOCOL_SETTINGS, ...overridesOf(row.values, ambitoId) };
}

function overridesOf(values: unknown, ambitoId: string): Partial<ProtocolSettings> {
  const parsed = overridesSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(`ProtocolSettingsVersion of ambito ${ambitoId} is invalid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
}

export function validateProtocolOverrides(value: unknown): Partial<ProtocolSettings> {
  return overridesSchema.parse(value);
}
