import {
  OfficeCalendarError,
  SEARCH_HORIZON_DAYS,
  dayClosureReason,
  describeInstant,
  describeOpening,
  easterSunday,
  isOfficeOpen,
  italianPublicHolidays,
  nextClosing,
  nextOpening,
  type OfficeCalendar,
} from '../../src/calendar';

// Instants are written in UTC on purpose, so the expectations do not reuse the code under test.
// Europe/Rome is UTC+1 in winter (CET) and UTC+2 in summer (CEST).
const iso = (ms: number): string => new Date(ms).toISOString();

const MORNING = { open: '09:00', close: '12:30' };
const AFTERNOON = { open: '14:00', close: '17:00' };

/** Mon–Fri mornings, Tuesday and Thursday afternoons too; patron San Vittore on 8 May. */
const lainateLike: OfficeCalendar = {
  comuneCode: '015116',
  timeZone: 'Europe/Rome',
  weeklyHours: { 1: [MORNING], 2: [MORNING, AFTERNOON], 3: [MORNING], 4: [MORNING, AFTERNOON], 5: [MORNING] },
  patronDays: [{ month: 5, day: 8, name: 'San Vittore' }],
  extraClosures: [],
};

const everyDay: OfficeCalendar = {
  comuneCode: '000000',
  timeZone: 'Europe/Rome',
  weeklyHours: { 1: [MORNING], 2: [MORNING], 3: [MORNING], 4: [MORNING], 5: [MORNING], 6: [MORNING], 7: [MORNING] },
  patronDays: [],
  extraClosures: [],
};

const roundTheClock: OfficeCalendar['weeklyHours'] = {
  1: [{ open: '00:00', close: '24:00' }],
  2: [{ open: '00:00', close: '24:00' }],
  3: [{ open: '00:00', close: '24:00' }],
  4: [{ open: '00:00', close: '24:00' }],
  5: [{ open: '00:00', close: '24:00' }],
  6: [{ open: '00:00', close: '24:00' }],
  7: [{ open: '00:00', close: '24:00' }],
};

function calendarError(action: () => unknown): OfficeCalendarError {
  try {
    action();
  } catch (error) {
    if (error instanceof OfficeCalendarError) return error;
    throw error;
  }
  throw new Error('expected an OfficeCalendarError');
}

describe('easterSunday', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
    [1818, '1818-03-22'],
    [1943, '1943-04-25'],
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2016, '2016-03-27'],
    [2019, '2019-04-21'],
  ])('%i ⇒ %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it('is always a Sunday between 22 March and 25 April (1583–4099)', () => {
    for (let year = 1583; year <= 4099; year++) {
      const date = easterSunday(year);
      const day = new Date(`${date}T12:00:00Z`);
      expect(day.getUTCDay()).toBe(0);
      const monthDay = date.slice(5);
      expect(monthDay >= '03-22' && monthDay <= '04-25').toBe(true);
    }
  });

  it('rejects years outside the Gregorian calendar', () => {
    expect(calendarError(() => easterSunday(1500)).code).toBe('INVALID_YEAR');
    expect(calendarError(() => easterSunday(2026.5)).code).toBe('INVALID_YEAR');
  });
});

describe('italianPublicHolidays', () => {
  it('lists the 2027 holidays with Italian names, San Francesco included', () => {
    expect(italianPublicHolidays(2027)).toEqual([
      { date: '2027-01-01', name: 'Capodanno' },
      { date: '2027-01-06', name: 'Epifania' },
      { date: '2027-03-28', name: 'Pasqua' },
      { date: '2027-03-29', name: "Lunedì dell'Angelo (Pasquetta)" },
      { date: '2027-04-25', name: 'Festa della Liberazione' },
      { date: '2027-05-01', name: 'Festa dei Lavoratori' },
      { date: '2027-06-02', name: 'Festa della Repubblica' },
      { date: '2027-08-15', name: 'Ferragosto (Assunzione di Maria)' },
      { date: '2027-10-04', name: "San Francesco d'Assisi, patrono d'Italia" },
      { date: '2027-11-01', name: 'Ognissanti' },
      { date: '2027-12-08', name: 'Immacolata Concezione' },
      { date: '2027-12-25', name: 'Natale' },
      { date: '2027-12-26', name: 'Santo Stefano' },
    ]);
  });

  it('adds San Francesco (4 October, L. 151/2025) only from 2026', () => {
    expect(italianPublicHolidays(2025).map((h) => h.date)).not.toContain('2025-10-04');
    expect(italianPublicHolidays(2025)).toHaveLength(12);
    expect(italianPublicHolidays(2026).map((h) => h.date)).toContain('2026-10-04');
  });

  it.each(italianPublicHolidays(2027).map((h) => [h.date, h.name]))(
    'the office is closed all day on %s (%s)',
    (date, name) => {
      expect(dayClosureReason(everyDay, date)).toBe(name);
      // 10:00 in Rome is 09:00Z in winter and 08:00Z in summer: both fall in the 09:00–12:30 slot.
      expect(isOfficeOpen(everyDay, `${date}T09:00:00Z`)).toBe(false);
      expect(isOfficeOpen(everyDay, `${date}T08:00:00Z`)).toBe(false);
    },
  );

  it('opens again on the day after a holiday', () => {
    expect(isOfficeOpen(everyDay, '2027-01-02T09:00:00Z')).toBe(true);
    expect(dayClosureReason(everyDay, '2027-01-02')).toBeNull();
  });
});

describe('isOfficeOpen', () => {
  it('follows weekly hours, slot edges included at the start and excluded at the end', () => {
    // Monday 23 November 2026 (CET).
    expect(isOfficeOpen(lainateLike, '2026-11-23T07:59:59Z')).toBe(false);
    expect(isOfficeOpen(lainateLike, '2026-11-23T08:00:00Z')).toBe(true);
    expect(isOfficeOpen(lainateLike, '2026-11-23T11:29:59Z')).toBe(true);
    expect(isOfficeOpen(lainateLike, '2026-11-23T11:30:00Z')).toBe(false);
    // Monday has no afternoon, Tuesday has.
    expect(isOfficeOpen(lainateLike, '2026-11-23T14:00:00Z')).toBe(false);
    expect(isOfficeOpen(lainateLike, '2026-11-24T14:00:00Z')).toBe(true);
  });

  it('is closed on weekends', () => {
    expect(isOfficeOpen(lainateLike, '2026-11-21T09:00:00Z')).toBe(false);
    expect(isOfficeOpen(lainateLike, '2026-11-22T09:00:00Z')).toBe(false);
  });

  it('accepts epoch milliseconds and ISO strings with an offset', () => {
    expect(isOfficeOpen(lainateLike, Date.parse('2026-11-23T09:00:00Z'))).toBe(true);
    expect(isOfficeOpen(lainateLike, '2026-11-23T10:00:00+01:00')).toBe(true);
  });

  it('rejects an ISO string without an offset, which would depend on the host time zone', () => {
    expect(calendarError(() => isOfficeOpen(lainateLike, '2026-11-23T10:00:00')).code).toBe('INVALID_INSTANT');
    expect(calendarError(() => isOfficeOpen(lainateLike, Number.NaN)).code).toBe('INVALID_INSTANT');
  });
});

describe('nextOpening', () => {
  it('returns the instant itself when the office is open', () => {
    expect(iso(nextOpening(lainateLike, '2026-11-23T09:15:00Z'))).toBe('2026-11-23T09:15:00.000Z');
  });

  it('goes to the afternoon slot from the lunch break', () => {
    expect(iso(nextOpening(lainateLike, '2026-11-24T12:00:00Z'))).toBe('2026-11-24T13:00:00.000Z');
  });

  it('Saturday-night report in Lainate ⇒ Monday at opening time', () => {
    // Saturday 21 November 2026, 23:10 in Rome.
    const report = '2026-11-21T22:10:00Z';
    expect(iso(nextOpening(lainateLike, report))).toBe('2026-11-23T08:00:00.000Z');
    expect(describeOpening(lainateLike, report)).toBe('lunedì 23 novembre 2026, 09:00');
  });

  it('Saturday-night report ⇒ Tuesday when Monday is Pasquetta', () => {
    // Saturday 4 April 2026, 23:30 CEST; Monday 6 April is Pasquetta.
    expect(iso(nextOpening(lainateLike, '2026-04-04T21:30:00Z'))).toBe('2026-04-07T07:00:00.000Z');
  });

  it('Saturday-night report ⇒ Tuesday when Monday is 2 June', () => {
    // Saturday 31 May 2025, 23:00 CEST; Monday 2 June 2025 is Festa della Repubblica.
    expect(iso(nextOpening(lainateLike, '2025-05-31T21:00:00Z'))).toBe('2025-06-03T07:00:00.000Z');
    expect(describeOpening(lainateLike, '2025-05-31T21:00:00Z')).toBe('martedì 3 giugno 2025, 09:00');
  });

  it('Easter weekend: Friday-night report ⇒ Tuesday after Pasquetta', () => {
    // Friday 3 April 2026, 22:00 CEST.
    expect(iso(nextOpening(lainateLike, '2026-04-03T20:00:00Z'))).toBe('2026-04-07T07:00:00.000Z');
    expect(describeOpening(lainateLike, '2026-04-03T20:00:00Z')).toBe('martedì 7 aprile 2026, 09:00');
  });

  it('skips the patron-saint day', () => {
    // Thursday 7 May 2026 after hours; Friday 8 May is San Vittore ⇒ Monday 11 May.
    expect(dayClosureReason(lainateLike, '2026-05-08')).toBe('Santo patrono: San Vittore');
    expect(isOfficeOpen(lainateLike, '2026-05-08T08:00:00Z')).toBe(false);
    expect(iso(nextOpening(lainateLike, '2026-05-07T16:00:00Z'))).toBe('2026-05-11T07:00:00.000Z');
  });

  it('skips extra closures, and they chain with holidays and weekends', () => {
    const calendar: OfficeCalendar = {
      ...lainateLike,
      extraClosures: [{ date: '2026-12-24', reason: 'Chiusura straordinaria degli uffici' }],
    };
    expect(dayClosureReason(calendar, '2026-12-24')).toBe('Chiusura straordinaria degli uffici');
    // Wednesday 23 December 2026, 18:00 ⇒ 24 closed, 25 Natale, 26 Santo Stefano, weekend ⇒ Monday 28.
    expect(iso(nextOpening(calendar, '2026-12-23T17:00:00Z'))).toBe('2026-12-28T08:00:00.000Z');
  });

  it('honours an extra opening, even on a Saturday', () => {
    const calendar: OfficeCalendar = {
      ...lainateLike,
      extraOpenings: [{ date: '2026-11-21', slots: [{ open: '09:00', close: '11:00' }], reason: 'Apertura straordinaria' }],
    };
    expect(dayClosureReason(calendar, '2026-11-21')).toBeNull();
    expect(iso(nextOpening(calendar, '2026-11-20T19:00:00Z'))).toBe('2026-11-21T08:00:00.000Z');
  });

  describe('across DST change nights in Europe/Rome', () => {
    it('report at 01:30 on the last Sunday of October ⇒ Monday 09:00 CET', () => {
      // Sunday 25 October 2026, 01:30 CEST (clocks go back at 03:00 CEST → 02:00 CET).
      const report = '2026-10-24T23:30:00Z';
      expect(describeInstant(lainateLike, report)).toBe('domenica 25 ottobre 2026, 01:30');
      expect(iso(nextOpening(lainateLike, report))).toBe('2026-10-26T08:00:00.000Z');
    });

    it('both readings of the repeated 02:30 lead to the same opening', () => {
      expect(describeInstant(lainateLike, '2026-10-25T00:30:00Z')).toBe('domenica 25 ottobre 2026, 02:30');
      expect(describeInstant(lainateLike, '2026-10-25T01:30:00Z')).toBe('domenica 25 ottobre 2026, 02:30');
      expect(iso(nextOpening(lainateLike, '2026-10-25T00:30:00Z'))).toBe('2026-10-26T08:00:00.000Z');
      expect(iso(nextOpening(lainateLike, '2026-10-25T01:30:00Z'))).toBe('2026-10-26T08:00:00.000Z');
    });

    it('Saturday night before spring-forward ⇒ Monday 09:00 CEST', () => {
      // Saturday 28 March 2026, 23:00 CET; Sunday 29 March clocks jump 02:00 → 03:00.
      expect(iso(nextOpening(lainateLike, '2026-03-28T22:00:00Z'))).toBe('2026-03-30T07:00:00.000Z');
      // The Monday before, still CET.
      expect(iso(nextOpening(lainateLike, '2026-03-21T22:00:00Z'))).toBe('2026-03-23T08:00:00.000Z');
    });

    it('a night slot spanning the change has its real length', () => {
      const night: OfficeCalendar = { ...everyDay, weeklyHours: { 7: [{ open: '01:00', close: '04:00' }] } };
      // Fall back: 01:00 CEST = 23:00Z, 04:00 CET = 03:00Z ⇒ four real hours.
      expect(iso(nextOpening(night, '2026-10-24T20:00:00Z'))).toBe('2026-10-24T23:00:00.000Z');
      expect(iso(nextClosing(night, '2026-10-24T20:00:00Z'))).toBe('2026-10-25T03:00:00.000Z');
      // Spring forward: 01:00 CET = 00:00Z, 04:00 CEST = 02:00Z ⇒ two real hours.
      expect(iso(nextOpening(night, '2026-03-28T20:00:00Z'))).toBe('2026-03-29T00:00:00.000Z');
      expect(iso(nextClosing(night, '2026-03-28T20:00:00Z'))).toBe('2026-03-29T02:00:00.000Z');
    });

    it('an opening time inside the spring-forward gap moves to just after the gap', () => {
      const gap: OfficeCalendar = { ...everyDay, weeklyHours: { 7: [{ open: '02:30', close: '05:00' }] } };
      // 02:30 does not exist on 29 March 2026: it resolves to 03:30 CEST = 01:30Z.
      expect(iso(nextOpening(gap, '2026-03-28T20:00:00Z'))).toBe('2026-03-29T01:30:00.000Z');
    });
  });

  describe('opening hours ending before or at midnight', () => {
    const evening: OfficeCalendar = {
      ...everyDay,
      weeklyHours: { 5: [{ open: '20:00', close: '23:30' }], 6: [{ open: '18:00', close: '24:00' }], 7: [{ open: '00:00', close: '02:00' }] },
    };

    it('closes at 23:30 and reopens the next evening', () => {
      // Friday 20 November 2026.
      expect(isOfficeOpen(evening, '2026-11-20T22:29:00Z')).toBe(true);
      expect(isOfficeOpen(evening, '2026-11-20T22:30:00Z')).toBe(false);
      expect(iso(nextOpening(evening, '2026-11-20T22:45:00Z'))).toBe('2026-11-21T17:00:00.000Z');
    });

    it("merges a slot closing at 24:00 with the next day's slot opening at 00:00", () => {
      expect(isOfficeOpen(evening, '2026-11-21T22:59:59Z')).toBe(true);
      expect(isOfficeOpen(evening, '2026-11-21T23:00:00Z')).toBe(true);
      expect(iso(nextClosing(evening, '2026-11-21T20:00:00Z'))).toBe('2026-11-22T01:00:00.000Z');
    });
  });
});

describe('nextClosing', () => {
  it('is the end of the current slot when open', () => {
    expect(iso(nextClosing(lainateLike, '2026-11-24T09:00:00Z'))).toBe('2026-11-24T11:30:00.000Z');
  });

  it('is the end of the next opening when closed', () => {
    expect(iso(nextClosing(lainateLike, '2026-11-21T22:10:00Z'))).toBe('2026-11-23T11:30:00.000Z');
  });

  it('treats contiguous slots as one opening', () => {
    const continuous: OfficeCalendar = {
      ...lainateLike,
      weeklyHours: { 1: [{ open: '08:30', close: '12:30' }, { open: '12:30', close: '16:00' }] },
    };
    expect(iso(nextClosing(continuous, '2026-11-23T08:00:00Z'))).toBe('2026-11-23T15:00:00.000Z');
  });
});

describe('calendars that can never answer', () => {
  it('a calendar with no openings fails clearly instead of looping', () => {
    const closed: OfficeCalendar = { ...lainateLike, weeklyHours: {} };
    const started = Date.now();
    const error = calendarError(() => nextOpening(closed, '2026-11-21T22:10:00Z'));
    expect(error.code).toBe('NO_OPENING_WITHIN_HORIZON');
    expect(error.message).toContain('015116');
    expect(error.message).toContain(String(SEARCH_HORIZON_DAYS));
    expect(calendarError(() => describeOpening(closed, 0)).code).toBe('NO_OPENING_WITHIN_HORIZON');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a calendar whose only openings are in the past has no next opening', () => {
    const past: OfficeCalendar = {
      ...lainateLike,
      weeklyHours: {},
      extraOpenings: [{ date: '2025-01-07', slots: [MORNING], reason: 'Apertura straordinaria' }],
    };
    expect(calendarError(() => nextClosing(past, '2026-01-01T00:00:00Z')).code).toBe('NO_OPENING_WITHIN_HORIZON');
  });

  it('a round-the-clock office closes at the next public holiday', () => {
    const always: OfficeCalendar = { ...everyDay, weeklyHours: roundTheClock };
    // Monday 23 November 2026 ⇒ Immacolata starts at 00:00 CET on 8 December.
    expect(iso(nextClosing(always, '2026-11-23T10:00:00Z'))).toBe('2026-12-07T23:00:00.000Z');
  });

  it('an office that never closes within the horizon fails clearly', () => {
    const holidays = [...italianPublicHolidays(2026), ...italianPublicHolidays(2027), ...italianPublicHolidays(2028)];
    const never: OfficeCalendar = {
      ...everyDay,
      weeklyHours: roundTheClock,
      extraOpenings: holidays.map((h) => ({ date: h.date, slots: [{ open: '00:00', close: '24:00' }], reason: 'Presidio' })),
    };
    expect(isOfficeOpen(never, '2026-12-25T10:00:00Z')).toBe(true);
    expect(calendarError(() => nextClosing(never, '2026-11-23T10:00:00Z')).code).toBe('NO_OPENING_WITHIN_HORIZON');
  });

  it('rejects invalid calendars with a readable message', () => {
    const backwards: OfficeCalendar = { ...lainateLike, weeklyHours: { 1: [{ open: '12:00', close: '09:00' }] } };
    expect(calendarError(() => isOfficeOpen(backwards, 0)).message).toContain('12:00-09:00');
    const badTime: OfficeCalendar = { ...lainateLike, weeklyHours: { 1: [{ open: '9:00', close: '12:00' }] } };
    expect(calendarError(() => nextOpening(badTime, 0)).code).toBe('INVALID_CALENDAR');
    const badZone: OfficeCalendar = { ...lainateLike, timeZone: 'Europe/Atlantis' };
    expect(calendarError(() => nextOpening(badZone, 0)).message).toContain('Europe/Atlantis');
    const badPatron: OfficeCalendar = { ...lainateLike, patronDays: [{ month: 2, day: 30, name: 'Nessuno' }] };
    expect(calendarError(() => nextOpening(badPatron, 0)).code).toBe('INVALID_CALENDAR');
    const badClosure: OfficeCalendar = { ...lainateLike, extraClosures: [{ date: '2026-13-01', reason: 'x' }] };
    expect(calendarError(() => nextOpening(badClosure, 0)).code).toBe('INVALID_CALENDAR');
  });
});
