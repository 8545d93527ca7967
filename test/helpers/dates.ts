import { isOfficeOpen } from '../../src/calendar';
import { instantOfWallTime, wallClockAt } from '../../src/calendar/zoned';
import { referenceData } from '../../src/reference';

const DAY_MS = 86_400_000;
const ROME = 'Europe/Rome';

/**
 * Recent instants for fixtures that must be in or out of office hours and also inside the API's
 * date windows (reportedAt at most 30 days old, not in the future), so they do not go stale as
 * the calendar moves on. ISO 8601 with a `Z` offset, at least an hour before `now`.
 */
export function lastRomeWallTime(isoWeekday: number, hh: number, mm: number, now = Date.now(), accept: (at: number) => boolean = () => true): string {
  // From two days back: test databases close the offices today and tomorrow (helpers/db.ts).
  for (let back = 2; back <= 23; back += 1) {
    const wall = wallClockAt(now - back * DAY_MS, ROME);
    const weekday = ((new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() + 6) % 7) + 1;
    if (weekday !== isoWeekday) continue;
    const at = instantOfWallTime({ year: wall.year, month: wall.month, day: wall.day }, hh * 60 + mm, ROME);
    if (at <= now - 3_600_000 && accept(at)) return new Date(at).toISOString();
  }
  throw new Error('no such wall time in the last three weeks');
}

/** Sunday 23:10 in Rome, last week or this one: outside office hours, so a report then is in PIS scope. */
export function recentSundayNight(now = Date.now()): string {
  return lastRomeWallTime(7, 23, 10, now);
}

/** A recent Tuesday 10:30 when the social service of `comuneCode` (default Rho) was open (not a holiday). */
export function recentOfficeHours(comuneCode = '015182', now = Date.now()): string {
  const comune = referenceData.comuni.find((c) => c.istatCode === comuneCode);
  if (!comune) throw new Error(`no Comune ${comuneCode}`);
  return lastRomeWallTime(2, 10, 30, now, (at) => isOfficeOpen(comune.calendar, at));
}

/** The date of `recentSundayNight()` as a `datetime-local` value (what a person types in the console). */
export function recentSundayNightLocal(now = Date.now()): string {
  const wall = wallClockAt(Date.parse(recentSundayNight(now)), ROME);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T23:10`;
}
