import { OfficeCalendarError } from './errors';
import type { IsoDate } from './types';

/** A calendar date with no time zone attached (proleptic Gregorian). */
export interface PlainDate {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatIsoDate(date: PlainDate): IsoDate {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

export function parseIsoDate(text: string): PlainDate {
  const match = ISO_DATE.exec(text);
  if (!match) throw new OfficeCalendarError('INVALID_CALENDAR', `Not a YYYY-MM-DD date: '${text}'`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (formatIsoDate(addDays(date, 0)) !== text) {
    throw new OfficeCalendarError('INVALID_CALENDAR', `No such calendar date: '${text}'`);
  }
  return date;
}

/** Date arithmetic runs on UTC midnights, which never have DST gaps. */
export function addDays(date: PlainDate, days: number): PlainDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: PlainDate): number {
  const sundayBased = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return sundayBased === 0 ? 7 : sundayBased;
}
