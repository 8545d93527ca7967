import type { EvidenceField, MilestoneActor, MilestoneKind } from '../contract/milestones';
import type { Clock } from './clocks';

/**
 * The legal deadlines the service tracks: source, who must act, clock, the evidence that marks
 * them met, and (for chained terms) the previous milestone whose evidence starts this one.
 */
export interface MilestoneSpec {
  legalSource: string;
  actor: MilestoneActor;
  clock: Clock;
  required: EvidenceField[];
  /** The previous milestone and the evidence field whose date is this one's trigger. */
  after?: { kind: MilestoneKind; field: 'sentAt' | 'decreeDate' };
}

export const MILESTONES: Record<MilestoneKind, MilestoneSpec> = {
  // Art. 403 c.c. as reformed by L. 206/2021: peremptory terms.
  art403_report_24h: { legalSource: 'art. 403 c.c., c. 2', actor: 'us', clock: { hours: 24 }, required: ['sentAt', 'channel'] },
  art403_prosecutor_72h: {
    legalSource: 'art. 403 c.c., c. 3',
    actor: 'prosecutor',
    clock: { hours: 72 },
    required: ['decreeDate'],
    after: { kind: 'art403_report_24h', field: 'sentAt' },
  },
  art403_court_48h: {
    legalSource: 'art. 403 c.c., c. 4',
    actor: 'court',
    clock: { hours: 48 },
    required: ['decreeDate'],
    after: { kind: 'art403_prosecutor_72h', field: 'decreeDate' },
  },
  art403_hearing_15d: {
    legalSource: 'art. 403 c.c., c. 4 (curatore speciale e udienza)',
    actor: 'court',
    clock: { days: 15 },
    required: ['hearingDate'],
    after: { kind: 'art403_court_48h', field: 'decreeDate' },
  },
  codice_rosso_hearing_3d: {
    legalSource: 'L. 69/2019, art. 2 (art. 362, c. 1-ter c.p.p.)',
    actor: 'prosecutor',
    clock: { days: 3 },
    required: ['hearingDate'],
  },
  msna_identification_10d: {
    legalSource: 'L. 47/2017, art. 5 (art. 19-bis d.lgs. 142/2015)',
    actor: 'territorial_service',
    clock: { days: 10 },
    required: ['decreeDate'],
  },
  msna_cultural_mediator: {
    legalSource: 'L. 47/2017, art. 5 (art. 19-bis, c. 1 d.lgs. 142/2015)',
    actor: 'territorial_service',
    clock: { days: 10 },
    required: ['hearingDate'],
  },
  msna_first_reception_30d: {
    legalSource: 'L. 47/2017, art. 4 (art. 19, c. 1 d.lgs. 142/2015)',
    actor: 'territorial_service',
    clock: { days: 30 },
    required: ['decreeDate'],
  },
  msna_adult_facility_90d: {
    legalSource: 'art. 19, c. 3-bis d.lgs. 142/2015 (d.l. 133/2023)',
    actor: 'territorial_service',
    clock: { days: 90 },
    required: ['decreeDate'],
  },
  msna_adult_facility_max_150d: {
    legalSource: 'art. 19, c. 3-bis d.lgs. 142/2015 (d.l. 133/2023), proroga di 60 giorni',
    actor: 'territorial_service',
    clock: { days: 150 },
    required: ['decreeDate'],
  },
  msna_sim_registration: { legalSource: 'L. 47/2017, art. 9 (SIM)', actor: 'us', clock: { hours: 24 }, required: ['sentAt', 'channel'] },
};

/** The milestone that follows `kind` in a chain (art. 403), if any. */
export function nextInChain(kind: MilestoneKind): MilestoneKind | undefined {
  return (Object.keys(MILESTONES) as MilestoneKind[]).find((k) => MILESTONES[k].after?.kind === kind);
}

export function milestoneId(caseId: string, kind: MilestoneKind): string {
  return `${caseId}:${kind}`;
}

/** Reminder lead times (minutes before due) per actor; overridable per Ambito in MilestoneSettings. */
export interface MilestoneSettingsValues {
  reminderLeadMinutes: Record<MilestoneActor, number[]>;
}

export const DEFAULT_MILESTONE_SETTINGS: MilestoneSettingsValues = {
  reminderLeadMinutes: {
    us: [360, 60],
    prosecutor: [720],
    court: [720],
    territorial_service: [2 * 1440],
  },
};
