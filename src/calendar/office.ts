import { addDays, formatIsoDate, isoWeekday, parseIsoDate, type PlainDate } from './dates';
import { OfficeCalendarError } from './errors';
import { italianPublicHolidays } from './holidays';
import type { InstantInput, IsoDate, IsoWeekdayKey, OfficeCalendar, OpeningSlot, PublicHoliday } from './types';
import { assertTimeZone, formatItalian, instantOfWallTime, parseInstant, wallClockAt } from './zoned';

/**
 * Opening-hours queries for one Comune's social-service office. Pure: instants in, epoch
 * milliseconds out, no clock and no I/O, safe to call from workflow code.
 *
 * PIS works while the office is closed, so the two questions are "is it open now?" and "when
 * does it open next?". Searches look at most SEARCH_HORIZON_DAYS ahead and then fail loudly:
 * a calendar with no openings is a configuration error, not a reason to loop forever.
 */
export const SEARCH_HORIZON_DAYS = 400;

const WALL_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

interface Interval {
  start: number;
  end: number;
}

type HolidayCache = Record<number, PublicHoliday[]>;

function wallMinutes(text: string, where: string): number {
  const match = WALL_TIME.exec(text);
  if (!match) throw new OfficeCalendarError('INVALID_CALENDAR', `${where}: '${text}' is not HH:MM`);
  return Number(match[1] ?? match[3]) * 60 + Number(match[2] ?? match[4]);
}

function assertSlots(slots: readonly OpeningSlot[], where: string): void {
  for (const slot of slots) {
    const open = wallMinutes(slot.open, `${where} open`);
    const close = wallMinutes(slot.close, `${where} close`);
    if (open >= close) {
      throw new OfficeCalendarError('INVALID_CALENDAR', `${where}: slot ${slot.open}-${slot.close} must close after it opens, on the same day`);
    }
  }
}

/** Throws OfficeCalendarError('INVALID_CALENDAR') naming the first problem found. */
export function assertValidCalendar(calendar: OfficeCalendar): void {
  assertTimeZone(calendar.timeZone);
  for (const [weekday, slots] of Object.entries(calendar.weeklyHours)) {
    if (!/^[1-7]$/.test(weekday)) {
      throw new OfficeCalendarError('INVALID_CALENDAR', `weeklyHours key '${weekday}' is not an ISO weekday 1..7`);
    }
    assertSlots(slots ?? [], `weeklyHours[${weekday}]`);
  }
  for (const patron of calendar.patronDays) {
    // 2000 is a leap year, so 29 February is accepted.
    const sample = { year: 2000, month: patron.month, day: patron.day };
    if (!Number.isInteger(patron.month) || !Number.isInteger(patron.day) || formatIsoDate(addDays(sample, 0)) !== formatIsoDate(sample)) {
      throw new OfficeCalendarError('INVALID_CALENDAR', `patron day ${patron.day}/${patron.month} does not exist`);
    }
  }
  for (const closure of calendar.extraClosures) {
    parseIsoDate(closure.date);
    if (closure.until !== undefined) {
      parseIsoDate(closure.until);
      if (closure.until < closure.date) {
        throw new OfficeCalendarError('INVALID_CALENDAR', `extra closure ${closure.date}..${closure.until} ends before it starts`);
      }
    }
  }
  for (const opening of calendar.extraOpenings ?? []) {
    parseIsoDate(opening.date);
    assertSlots(opening.slots, `extraOpenings[${opening.date}]`);
  }
}

function holidaysOf(year: number, cache: HolidayCache): PublicHoliday[] {
  const cached = cache[year];
  if (cached) return cached;
  const holidays = italianPublicHolidays(year);
  cache[year] = holidays;
  return holidays;
}

/** The extra closure covering an ISO date (YYYY-MM-DD strings compare like dates). */
function extraClosureOn(calendar: OfficeCalendar, iso: IsoDate): OfficeCalendar['extraClosures'][number] | undefined {
  return calendar.extraClosures.find((c) => c.date <= iso && iso <= (c.until ?? c.date));
}

function closureReasonOn(calendar: OfficeCalendar, date: PlainDate, cache: HolidayCache): string | null {
  const iso = formatIsoDate(date);
  const closure = extraClosureOn(calendar, iso);
  if (closure) return closure.reason;
  const holiday = holidaysOf(date.year, cache).find((h) => h.date === iso);
  if (holiday) return holiday.name;
  const patron = calendar.patronDays.find((p) => p.month === date.month && p.day === date.day);
  if (patron) return `Santo patrono: ${patron.name}`;
  return null;
}

/** Slots that apply on a date; an extra closure beats an extra opening, which beats everything else. */
function slotsOn(calendar: OfficeCalendar, date: PlainDate, cache: HolidayCache): readonly OpeningSlot[] {
  const iso = formatIsoDate(date);
  if (extraClosureOn(calendar, iso)) return [];
  const extraOpening = calendar.extraOpenings?.find((o) => o.date === iso);
  if (extraOpening) return extraOpening.slots;
  if (closureReasonOn(calendar, date, cache) !== null) return [];
  return calendar.weeklyHours[String(isoWeekday(date)) as IsoWeekdayKey] ?? [];
}

function intervalsOn(calendar: OfficeCalendar, date: PlainDate, cache: HolidayCache): Interval[] {
  return slotsOn(calendar, date, cache)
    .map((slot) => ({
      start: instantOfWallTime(date, wallMinutes(slot.open, 'open'), calendar.timeZone),
      end: instantOfWallTime(date, wallMinutes(slot.close, 'close'), calendar.timeZone),
    }))
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
}

/**
 * Open intervals from the local date of `from` onwards, overlapping or touching slots merged
 * (so 08:30-12:30 + 12:30-16:00 is one interval). `openEnded` marks an interval still open when
 * the horizon ran out.
 */
function* openIntervalsFrom(calendar: OfficeCalendar, from: number): Generator<Interval & { openEnded: boolean }> {
  const cache: HolidayCache = {};
  const first = wallClockAt(from, calendar.timeZone);
  let pending: Interval | undefined;
  for (let offset = 0; offset < SEARCH_HORIZON_DAYS; offset++) {
    for (const interval of intervalsOn(calendar, addDays(first, offset), cache)) {
      if (pending && interval.start <= pending.end) {
        pending = { start: pending.start, end: Math.max(pending.end, interval.end) };
      } else {
        if (pending) yield { ...pending, openEnded: false };
        pending = interval;
      }
    }
  }
  if (pending) yield { ...pending, openEnded: true };
}

function noOpening(calendar: OfficeCalendar, from: number): OfficeCalendarError {
  return new OfficeCalendarError(
    'NO_OPENING_WITHIN_HORIZON',
    `Office calendar of Comune ${calendar.comuneCode} has no opening within ${SEARCH_HORIZON_DAYS} days of ${new Date(from).toISOString()}`,
  );
}

export function isOfficeOpen(calendar: OfficeCalendar, instant: InstantInput): boolean {
  assertValidCalendar(calendar);
  const t = parseInstant(instant);
  const today = wallClockAt(t, calendar.timeZone);
  return intervalsOn(calendar, today, {}).some((interval) => interval.start <= t && t < interval.end);
}

/**
 * The first instant at or after `instant` when the office is open: `instant` itself when it is
 * open already, otherwise the start of the next opening slot. Epoch milliseconds.
 */
export function nextOpening(calendar: OfficeCalendar, instant: InstantInput): number {
  assertValidCalendar(calendar);
  const t = parseInstant(instant);
  for (const interval of openIntervalsFrom(calendar, t)) {
    if (interval.end > t) return Math.max(interval.start, t);
  }
  throw noOpening(calendar, t);
}

/**
 * When the office closes next: the end of the current opening when open, otherwise the end of
 * the next opening. Contiguous slots count as one opening. Epoch milliseconds.
 */
export function nextClosing(calendar: OfficeCalendar, instant: InstantInput): number {
  assertValidCalendar(calendar);
  const t = parseInstant(instant);
  for (const interval of openIntervalsFrom(calendar, t)) {
    if (interval.end <= t) continue;
    if (interval.openEnded) {
      throw new OfficeCalendarError(
        'NO_OPENING_WITHIN_HORIZON',
        `Office calendar of Comune ${calendar.comuneCode} does not close within ${SEARCH_HORIZON_DAYS} days of ${new Date(t).toISOString()}`,
      );
    }
    return interval.end;
  }
  throw noOpening(calendar, t);
}

/** The next opening in Italian for operators, e.g. 'lunedì 24 novembre 2026, 08:30'. */
export function describeOpening(calendar: OfficeCalendar, instant: InstantInput): string {
  return formatItalian(nextOpening(calendar, instant), calendar.timeZone);
}

/** Any instant in Italian in the calendar's time zone, e.g. 'sabato 21 novembre 2026, 23:10'. */
export function describeInstant(calendar: OfficeCalendar, instant: InstantInput): string {
  assertTimeZone(calendar.timeZone);
  return formatItalian(parseInstant(instant), calendar.timeZone);
}

/**
 * Why the office is closed all day on `date` (holiday, patron saint, extra closure), or null when
 * the weekly hours apply. Weekends are not "closures": they simply have no weekly hours.
 */
export function dayClosureReason(calendar: OfficeCalendar, date: IsoDate): string | null {
  assertValidCalendar(calendar);
  const plain = parseIsoDate(date);
  if (calendar.extraOpenings?.some((o) => o.date === date) && !extraClosureOn(calendar, date)) {
    return null;
  }
  return closureReasonOn(calendar, plain, {});
}
