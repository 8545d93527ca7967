import { addDays, type PlainDate } from '../calendar/dates';
import { instantOfWallTime, wallClockAt } from '../calendar/zoned';

/**
 * Legal clocks. A term in hours runs from the trigger instant, hour by hour (a DST night does not
 * stretch or shrink it). A term in days is counted on Rome's calendar: the day of the trigger does
 * not count (dies a quo non computatur) and the term ends at the last instant of the Nth day.
 */

export const LEGAL_TIME_ZONE = 'Europe/Rome';
const HOUR_MS = 3_600_000;

export type Clock = { hours: number } | { days: number };

export function dueInstant(triggerAt: number, clock: Clock): number {
  if ('hours' in clock) return triggerAt + clock.hours * HOUR_MS;
  return endOfRomeDay(addDays(romeDate(triggerAt), clock.days));
}

export function romeDate(instant: number): PlainDate {
  const w = wallClockAt(instant, LEGAL_TIME_ZONE);
  return { year: w.year, month: w.month, day: w.day };
}

/** The last millisecond of `date` in Rome (the next midnight minus 1 ms). */
export function endOfRomeDay(date: PlainDate): number {
  return instantOfWallTime(date, 1440, LEGAL_TIME_ZONE) - 1;
}

/** `dd/mm/yyyy hh:mm` in Rome, as official documents print instants. */
export function formatRome(instant: number | Date): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const w = wallClockAt(ms, LEGAL_TIME_ZONE);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(w.day)}/${p(w.month)}/${w.year} ${p(w.hour)}:${p(w.minute)}`;
}
