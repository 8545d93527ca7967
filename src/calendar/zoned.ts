import type { PlainDate } from './dates';
import { OfficeCalendarError } from './errors';
import type { InstantInput } from './types';

/**
 * Time-zone arithmetic on top of Intl only (no tz library, no Node APIs), so it runs unchanged in
 * Temporal's workflow sandbox. Offsets are read back from Intl, which knows the DST rules.
 */

const DAY_MS = 86_400_000;
const EXPLICIT_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

export interface WallClock extends PlainDate {
  hour: number;
  minute: number;
}

// Building an Intl.DateTimeFormat is the expensive part; the cache only ever holds formatters.
const formatters: Record<string, Intl.DateTimeFormat> = {};

const NUMERIC_FIELDS: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
};

const ITALIAN_LONG_FIELDS: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
};

function cachedFormatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  const cached = formatters[key];
  if (cached) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    throw new OfficeCalendarError('INVALID_CALENDAR', `Unknown time zone '${timeZone}'`);
  }
  formatters[key] = formatter;
  return formatter;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  return cachedFormatter('en-US', timeZone, NUMERIC_FIELDS);
}

/** Throws OfficeCalendarError when Intl does not know the zone. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** The wall-clock reading (seconds included) of an instant, expressed as a fake-UTC epoch. */
function localEpoch(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function offsetAt(instant: number, timeZone: string): number {
  const wholeSecond = instant - (((instant % 1000) + 1000) % 1000);
  return localEpoch(instant, timeZone) - wholeSecond;
}

export function wallClockAt(instant: number, timeZone: string): WallClock {
  const local = new Date(localEpoch(instant, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/**
 * The instant at which the wall clock of `timeZone` reads `minutesOfDay` on `date` (1440 = the
 * following midnight). An ambiguous reading (autumn fall-back) resolves to the earlier instant; a
 * skipped reading (spring-forward gap) resolves to the same duration after the gap starts, like
 * Temporal's 'compatible' disambiguation.
 */
export function instantOfWallTime(date: PlainDate, minutesOfDay: number, timeZone: string): number {
  const local = Date.UTC(date.year, date.month - 1, date.day, 0, minutesOfDay);
  const offsetBefore = offsetAt(local - DAY_MS, timeZone);
  const offsetAfter = offsetAt(local + DAY_MS, timeZone);
  const matches = [local - offsetBefore, local - offsetAfter]
    .filter((candidate) => localEpoch(candidate, timeZone) === local)
    .sort((a, b) => a - b);
  return matches[0] ?? local - offsetBefore;
}

export function parseInstant(input: InstantInput): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input)) return input;
  } else if (EXPLICIT_OFFSET.test(input.trim())) {
    const parsed = Date.parse(input);
    if (Number.isFinite(parsed)) return parsed;
  }
  throw new OfficeCalendarError(
    'INVALID_INSTANT',
    `Not an instant (epoch ms or ISO-8601 with 'Z' or an offset): ${JSON.stringify(input)}`,
  );
}

/** Italian long form, e.g. 'lunedì 24 novembre 2026, 08:30'. */
export function formatItalian(instant: number, timeZone: string): string {
  const fields: Record<string, string> = {};
  for (const part of cachedFormatter('it-IT', timeZone, ITALIAN_LONG_FIELDS).formatToParts(instant)) {
    fields[part.type] = part.value;
  }
  return `${fields.weekday} ${fields.day} ${fields.month} ${fields.year}, ${fields.hour}:${fields.minute}`;
}
