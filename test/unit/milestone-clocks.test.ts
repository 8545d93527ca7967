import { MILESTONES } from '../../src/milestones/catalog';
import { dueInstant, formatRome } from '../../src/milestones/clocks';
import { openingsFromSnapshot } from '../../src/milestones/derive';
import type { CaseSnapshot } from '../../src/workflows/snapshot';

/** Legal clocks from fixed instants: hours run hour by hour, days on Rome's calendar. */
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('legal clocks', () => {
  it('art. 403 report: 24 real hours, also across the spring DST night (wall clock moves one hour)', () => {
    const placed = at('2026-03-28T11:00:00Z'); // 12:00 CET
    const due = dueInstant(placed, MILESTONES.art403_report_24h.clock);
    expect(iso(due)).toBe('2026-03-29T11:00:00.000Z');
    expect(formatRome(due)).toBe('29/03/2026 13:00'); // CEST
  });

  it('prosecutor 72 h across the autumn DST night', () => {
    const received = at('2026-10-24T22:00:00Z'); // 00:00 CEST on 25 October
    const due = dueInstant(received, MILESTONES.art403_prosecutor_72h.clock);
    expect(iso(due)).toBe('2026-10-27T22:00:00.000Z');
    expect(formatRome(due)).toBe('27/10/2026 23:00'); // CET
  });

  it('court 48 h over the year end', () => {
    const requested = at('2026-12-31T20:00:00Z');
    expect(iso(dueInstant(requested, MILESTONES.art403_court_48h.clock))).toBe('2027-01-02T20:00:00.000Z');
  });

  it('hearing within 15 days: the trigger day does not count, the term ends at midnight in Rome, across the year end', () => {
    const decree = at('2026-12-20T10:00:00Z');
    expect(iso(dueInstant(decree, MILESTONES.art403_hearing_15d.clock))).toBe('2027-01-04T22:59:59.999Z');
  });

  it('Codice Rosso 3 days counts Rome’s calendar day, not UTC’s (complaint at 00:30 on 31 December in Rome)', () => {
    const complaint = at('2026-12-30T23:30:00Z');
    expect(iso(dueInstant(complaint, MILESTONES.codice_rosso_hearing_3d.clock))).toBe('2027-01-03T22:59:59.999Z');
  });

  it('MSNA identification 10 days from the autumn DST night ends at midnight CET', () => {
    const placed = at('2026-10-25T00:30:00Z'); // 02:30 CEST, the hour repeated that night
    expect(iso(dueInstant(placed, MILESTONES.msna_identification_10d.clock))).toBe('2026-11-04T22:59:59.999Z');
  });

  it('MSNA first reception 30 days, across the spring DST change, ends at midnight CEST', () => {
    const placed = at('2026-02-28T23:30:00Z'); // 00:30 CET on 1 March
    expect(iso(dueInstant(placed, MILESTONES.msna_first_reception_30d.clock))).toBe('2026-03-31T21:59:59.999Z');
  });

  it('MSNA 16+ in a facility for adults: 90 days, at most 90 + 60', () => {
    const placed = at('2026-11-15T09:00:00Z');
    expect(iso(dueInstant(placed, MILESTONES.msna_adult_facility_90d.clock))).toBe('2027-02-13T22:59:59.999Z');
    expect(iso(dueInstant(placed, MILESTONES.msna_adult_facility_max_150d.clock))).toBe('2027-04-14T21:59:59.999Z');
  });
});

describe('milestones opened from the snapshot', () => {
  const base: CaseSnapshot = {
    caseId: 'c1',
    revision: 3,
    status: 'open',
    step: 'minor_protection',
    flags: [],
    externalHandover: false,
    lastProgressAt: '2026-12-02T10:00:00.000Z',
    openTaskRoles: [],
    tasks: [],
    reminders: [],
  };
  const task = (type: string, status: string, outcome?: Record<string, unknown>) =>
    ({ id: `c1-${type}`, key: type, type, candidateRole: 'emergency_operator', status, createdAt: '2026-12-02T10:00:00.000Z', escalation: { trigger: 'none' }, history: [], outcome }) as unknown as CaseSnapshot['tasks'][number];

  it('nothing before a trigger', () => {
    expect(openingsFromSnapshot(base)).toEqual([]);
  });

  it('an art. 403 report: from the task’s creation, then from the placement with the sending as evidence', () => {
    expect(openingsFromSnapshot({ ...base, tasks: [task('art403_report', 'claimed')] })).toEqual([{ kind: 'art403_report_24h', triggerAt: at('2026-12-02T10:00:00.000Z') }]);
    const done = task('art403_report', 'completed', { placedAt: '2026-12-02T08:00:00.000Z', sentAt: '2026-12-02T11:00:00.000Z' });
    expect(openingsFromSnapshot({ ...base, tasks: [done] }, { art403_report: { channel: 'pec', protocolNumber: 'P-1' } })).toEqual([
      { kind: 'art403_report_24h', triggerAt: at('2026-12-02T08:00:00.000Z'), evidence: { sentAt: at('2026-12-02T11:00:00.000Z'), channel: 'pec', pecProtocol: 'P-1' } },
    ]);
  });

  it('an MSNA under 16: the adult-facility terms do not apply', () => {
    const kinds = openingsFromSnapshot({ ...base, tasks: [task('msna_placement', 'completed', { placedAt: '2026-12-02T08:00:00.000Z', declaredAge: 14 })] });
    expect(kinds.map((k) => [k.kind, k.notApplicable !== undefined])).toEqual([
      ['msna_identification_10d', false],
      ['msna_cultural_mediator', false],
      ['msna_first_reception_30d', false],
      ['msna_adult_facility_90d', true],
      ['msna_adult_facility_max_150d', true],
      ['msna_sim_registration', false],
    ]);
  });

  it('a complaint opens the Codice Rosso hearing term', () => {
    const consent = task('av_consent', 'completed', { consent: true, complaintFiledAt: '2026-12-01T20:00:00.000Z' });
    expect(openingsFromSnapshot({ ...base, tasks: [consent] })).toEqual([{ kind: 'codice_rosso_hearing_3d', triggerAt: at('2026-12-01T20:00:00.000Z') }]);
  });
});
