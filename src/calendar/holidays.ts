import { addDays, formatIsoDate, type PlainDate } from './dates';
import { OfficeCalendarError } from './errors';
import type { IsoDate, PublicHoliday } from './types';

/**
 * A national public holiday rule. `fromYear`/`untilYear` (inclusive) let the list follow changes
 * in the law without code changes elsewhere.
 */
export type NationalHolidayRule =
  | { kind: 'fixed'; month: number; day: number; name: string; fromYear?: number; untilYear?: number }
  | { kind: 'easter'; offsetDays: number; name: string; fromYear?: number; untilYear?: number };

/**
 * Holidays that close public offices nationwide (art. 2 L. 260/1949 as amended, plus 25 April,
 * 1 May and 2 June). This is the list in force from 2026, not a historical record of past changes.
 */
export const NATIONAL_HOLIDAY_RULES: readonly NationalHolidayRule[] = [
  { kind: 'fixed', month: 1, day: 1, name: 'Capodanno' },
  { kind: 'fixed', month: 1, day: 6, name: 'Epifania' },
  { kind: 'easter', offsetDays: 0, name: 'Pasqua' },
  { kind: 'easter', offsetDays: 1, name: "Lunedì dell'Angelo (Pasquetta)" },
  { kind: 'fixed', month: 4, day: 25, name: 'Festa della Liberazione' },
  { kind: 'fixed', month: 5, day: 1, name: 'Festa dei Lavoratori' },
  { kind: 'fixed', month: 6, day: 2, name: 'Festa della Repubblica' },
  { kind: 'fixed', month: 8, day: 15, name: 'Ferragosto (Assunzione di Maria)' },
  // Legge 8 ottobre 2025, n. 151 (G.U. n. 236 del 10/10/2025), in force from 1 January 2026.
  { kind: 'fixed', month: 10, day: 4, name: "San Francesco d'Assisi, patrono d'Italia", fromYear: 2026 },
  { kind: 'fixed', month: 11, day: 1, name: 'Ognissanti' },
  { kind: 'fixed', month: 12, day: 8, name: 'Immacolata Concezione' },
  { kind: 'fixed', month: 12, day: 25, name: 'Natale' },
  { kind: 'fixed', month: 12, day: 26, name: 'Santo Stefano' },
];

function assertGregorianYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new OfficeCalendarError('INVALID_YEAR', `Year must be an integer in 1583..9999, got ${year}`);
  }
}

function easterDate(year: number): PlainDate {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return { year, month: Math.floor(n / 31), day: (n % 31) + 1 };
}

/** Easter Sunday of a Gregorian year, as 'YYYY-MM-DD'. */
export function easterSunday(year: number): IsoDate {
  assertGregorianYear(year);
  return formatIsoDate(easterDate(year));
}

function ruleApplies(rule: NationalHolidayRule, year: number): boolean {
  return (rule.fromYear === undefined || year >= rule.fromYear) && (rule.untilYear === undefined || year <= rule.untilYear);
}

/** Italian national public holidays of a year, sorted by date, with Italian names. */
export function italianPublicHolidays(
  year: number,
  rules: readonly NationalHolidayRule[] = NATIONAL_HOLIDAY_RULES,
): PublicHoliday[] {
  assertGregorianYear(year);
  const easter = easterDate(year);
  return rules
    .filter((rule) => ruleApplies(rule, year))
    .map((rule) => ({
      date: formatIsoDate(rule.kind === 'fixed' ? { year, month: rule.month, day: rule.day } : addDays(easter, rule.offsetDays)),
      name: rule.name,
    }))
    .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}
