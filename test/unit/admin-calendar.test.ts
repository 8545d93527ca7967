import { calendarChangeSchema, calendarFromChange, describeCalendarChange, noOpeningProblem, previewOpenings } from '../../src/admin/calendar';
import { istatComune, sameComuneName } from '../../src/admin/istat';
import { dayClosureReason, nextOpening, type OfficeCalendar } from '../../src/calendar';

// Instants in UTC on purpose; Europe/Rome is UTC+1 in December.
const MORNING = { open: '09:00', close: '12:30' };
const weekdays = { '1': [MORNING], '2': [MORNING], '3': [MORNING], '4': [MORNING], '5': [MORNING] };
const base = { weeklyHours: weekdays, patronDays: [], extraClosures: [], extraOpenings: [] };
const calendar = (change: Record<string, unknown> = {}): OfficeCalendar =>
  calendarFromChange('015182', 'Europe/Rome', calendarChangeSchema.parse({ ...base, ...change }));

function issuePaths(value: unknown): string[] {
  const r = calendarChangeSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

describe('calendar change validation names the slot', () => {
  it('accepts the weekday mornings', () => {
    expect(issuePaths(base)).toEqual([]);
  });

  it('refuses a slot closing before it opens, naming its close time', () => {
    expect(issuePaths({ ...base, weeklyHours: { ...weekdays, '2': [MORNING, { open: '15:00', close: '14:00' }] } })).toEqual(['weeklyHours.2.1.close']);
    expect(issuePaths({ ...base, weeklyHours: { '4': [{ open: '10:00', close: '10:00' }] } })).toEqual(['weeklyHours.4.0.close']);
  });

  it('refuses overlapping slots, naming the later one, but accepts slots that only touch', () => {
    expect(issuePaths({ ...base, weeklyHours: { '1': [{ open: '11:00', close: '13:00' }, MORNING] } })).toEqual(['weeklyHours.1.1']);
    expect(issuePaths({ ...base, weeklyHours: { '1': [MORNING, { open: '12:30', close: '16:00' }] } })).toEqual([]);
  });

  it('checks the slots of extra openings, dates, ranges, patron days and unknown keys', () => {
    expect(issuePaths({ ...base, extraOpenings: [{ date: '2026-12-24', slots: [{ open: '12:00', close: '09:00' }], reason: 'Vigilia' }] })).toEqual(['extraOpenings.0.slots.0.close']);
    expect(issuePaths({ ...base, extraClosures: [{ date: '2026-02-29', reason: 'Lavori' }] })).toEqual(['extraClosures.0.date']);
    expect(issuePaths({ ...base, extraClosures: [{ date: '2026-12-10', until: '2026-12-09', reason: 'Lavori' }] })).toEqual(['extraClosures.0.until']);
    expect(issuePaths({ ...base, patronDays: [{ month: 2, day: 30, name: 'Nessuno' }] })).toEqual(['patronDays.0.day']);
    expect(issuePaths({ ...base, weeklyHours: { '8': [MORNING] } })).toEqual(['weeklyHours']);
    expect(issuePaths({ ...base, extraClosures: [{ date: '2026-12-10', reason: '' }] })).toEqual(['extraClosures.0.reason']);
  });
});

describe('extra closures over a date range', () => {
  const cal = calendar({ extraClosures: [{ date: '2026-12-07', until: '2026-12-09', reason: 'Trasloco' }] });

  it('close every day of the range, both ends included', () => {
    // Friday 4 December 2026, 18:00 Rome: next opening is Thursday 10 December, 09:00 Rome.
    expect(new Date(nextOpening(cal, '2026-12-04T17:00:00Z')).toISOString()).toBe('2026-12-10T08:00:00.000Z');
    expect(dayClosureReason(cal, '2026-12-09')).toBe('Trasloco');
    expect(dayClosureReason(cal, '2026-12-10')).toBeNull();
  });
});

describe('preview of the next openings', () => {
  it('lists consecutive openings with their closing time and Italian label', () => {
    const list = previewOpenings(calendar(), Date.parse('2026-12-04T17:00:00Z'), 3);
    expect(list.map((o) => [o.opensAt, o.closesAt])).toEqual([
      ['2026-12-07T08:00:00.000Z', '2026-12-07T11:30:00.000Z'],
      // 8 December (Immacolata) is a public holiday.
      ['2026-12-09T08:00:00.000Z', '2026-12-09T11:30:00.000Z'],
      ['2026-12-10T08:00:00.000Z', '2026-12-10T11:30:00.000Z'],
    ]);
    expect(list[0]?.label).toBe('lunedì 7 dicembre 2026, 09:00');
  });

  it('says when a calendar would never open', () => {
    expect(noOpeningProblem(calendar({ weeklyHours: {} }), Date.parse('2026-12-04T17:00:00Z'))).toMatch(/non aprirebbe mai/);
    expect(noOpeningProblem(calendar(), Date.parse('2026-12-04T17:00:00Z'))).toBeNull();
  });
});

describe('what the timeline says about a calendar change', () => {
  it('names added and removed closures and openings, and changed hours', () => {
    const before = calendar({ extraClosures: [{ date: '2026-12-24', reason: 'Vigilia' }] });
    const after = calendar({
      weeklyHours: { ...weekdays, '6': [MORNING] },
      extraClosures: [{ date: '2026-12-28', until: '2026-12-31', reason: 'Ferie' }],
      extraOpenings: [{ date: '2026-12-27', slots: [MORNING], reason: 'Sportello straordinario' }],
    });
    expect(describeCalendarChange(before, after)).toBe(
      "Calendario dell'ufficio modificato: chiusura straordinaria dal 28 dicembre 2026 al 31 dicembre 2026 (Ferie); annullata la chiusura il 24 dicembre 2026 (Vigilia); " +
        'apertura straordinaria il 27 dicembre 2026 09:00-12:30 (Sportello straordinario); orario settimanale cambiato',
    );
  });

  it('ignores key order (jsonb reorders keys)', () => {
    const stored = JSON.parse('{"comuneCode":"015182","timeZone":"Europe/Rome","weeklyHours":{"1":[{"close":"12:30","open":"09:00"}]},"patronDays":[{"day":19,"name":"San Vittore","month":6}],"extraClosures":[],"extraOpenings":[]}') as OfficeCalendar;
    const edited = calendar({ weeklyHours: { '1': [MORNING] }, patronDays: [{ month: 6, day: 19, name: 'San Vittore' }] });
    expect(describeCalendarChange(stored, edited)).toBe("Calendario dell'ufficio modificato: nessuna differenza negli orari");
  });
});

describe('ISTAT codes offline', () => {
  it('knows the Comuni of the Rhodense and not made-up codes', () => {
    expect(istatComune('015182')).toEqual({ code: '015182', name: 'Rho', province: 'MI' });
    expect(istatComune('015176')?.name).toBe('Pogliano Milanese');
    expect(istatComune('999999')).toBeUndefined();
    expect(sameComuneName("Sant'Angelo Lodigiano", 'sant angelo lodigiano')).toBe(true);
    expect(sameComuneName('Rho', 'Pero')).toBe(false);
  });
});
