import { z } from 'zod';
import {
  describeInstant,
  nextClosing,
  nextOpening,
  OfficeCalendarError,
  SEARCH_HORIZON_DAYS,
  type ExtraClosure,
  type ExtraOpening,
  type OfficeCalendar,
  type OpeningSlot,
} from '../calendar';
import { parseIsoDate } from '../calendar/dates';
import { requiredText } from '../text';

/**
 * What an administrator or a coordinator may change in a Comune's office calendar, validated
 * with a path for every problem (the API answers 422 naming it). The calendar itself stays the
 * `calendar` column of `Comune`, read by the case activities: one source of truth.
 */

const WALL_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const wallTime = z.string().regex(WALL_TIME, 'ora HH:MM (00:00–24:00)');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'data AAAA-MM-GG')
  .refine((d) => {
    try {
      parseIsoDate(d);
      return true;
    } catch {
      return false;
    }
  }, 'data inesistente');

const slotSchema = z.object({ open: wallTime, close: wallTime }).strict();

function minutes(t: string): number {
  const m = WALL_TIME.exec(t);
  return m ? Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]) : Number.NaN;
}

/** Issues for one day's slots: each must close after it opens, and none may overlap another. */
function checkSlots(slots: readonly OpeningSlot[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const spans = slots.map((s, i) => ({ i, open: minutes(s.open), close: minutes(s.close) }));
  for (const s of spans) {
    if (s.open >= s.close) ctx.addIssue({ code: 'custom', path: [...path, s.i, 'close'], message: 'la chiusura deve seguire l’apertura, nello stesso giorno' });
  }
  const valid = spans.filter((s) => s.open < s.close).sort((a, b) => a.open - b.open);
  for (let k = 1; k < valid.length; k++) {
    const prev = valid[k - 1];
    const cur = valid[k];
    if (prev && cur && cur.open < prev.close) {
      ctx.addIssue({ code: 'custom', path: [...path, Math.max(prev.i, cur.i)], message: 'fascia sovrapposta a un’altra dello stesso giorno' });
    }
  }
}

const daySlots = z.array(slotSchema).max(6);

export const calendarChangeSchema = z
  .object({
    weeklyHours: z
      .object({ '1': daySlots, '2': daySlots, '3': daySlots, '4': daySlots, '5': daySlots, '6': daySlots, '7': daySlots })
      .partial()
      .strict()
      .describe('Orario settimanale: fasce per giorno ISO (1 = lunedì … 7 = domenica)'),
    patronDays: z
      .array(
        z
          .object({
            month: z.number().int().min(1).max(12),
            day: z.number().int().min(1).max(31),
            name: requiredText(120),
            verified: z.boolean().optional(),
          })
          .strict(),
      )
      .max(5),
    extraClosures: z.array(z.object({ date: isoDate, until: isoDate.optional(), reason: requiredText(200) }).strict()).max(500),
    extraOpenings: z.array(z.object({ date: isoDate, slots: z.array(slotSchema).min(1).max(6), reason: requiredText(200) }).strict()).max(500),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const [day, slots] of Object.entries(c.weeklyHours)) checkSlots(slots ?? [], ['weeklyHours', day], ctx);
    c.extraOpenings.forEach((o, i) => checkSlots(o.slots, ['extraOpenings', i, 'slots'], ctx));
    c.patronDays.forEach((p, i) => {
      const d = new Date(Date.UTC(2000, p.month - 1, p.day));
      if (d.getUTCMonth() !== p.month - 1) ctx.addIssue({ code: 'custom', path: ['patronDays', i, 'day'], message: 'giorno inesistente' });
    });
    c.extraClosures.forEach((x, i) => {
      if (x.until !== undefined && x.until < x.date) ctx.addIssue({ code: 'custom', path: ['extraClosures', i, 'until'], message: 'la fine precede l’inizio' });
    });
  });

export type CalendarChange = z.infer<typeof calendarChangeSchema>;

export const extraClosureSchema = z.object({ date: isoDate, until: isoDate.optional(), reason: requiredText(200) }).strict();

export function calendarFromChange(comuneCode: string, timeZone: string, change: CalendarChange): OfficeCalendar {
  return {
    comuneCode,
    timeZone,
    weeklyHours: Object.fromEntries(Object.entries(change.weeklyHours).filter(([, slots]) => slots && slots.length > 0)),
    patronDays: change.patronDays,
    extraClosures: change.extraClosures,
    extraOpenings: change.extraOpenings,
  };
}

/** The editable part of a stored calendar (what GET answers and PUT takes). */
export function changeOfCalendar(calendar: OfficeCalendar): CalendarChange {
  return {
    weeklyHours: calendar.weeklyHours,
    patronDays: calendar.patronDays,
    extraClosures: calendar.extraClosures,
    extraOpenings: calendar.extraOpenings ?? [],
  };
}

export interface OpeningPreview {
  opensAt: string;
  closesAt: string;
  /** Italian, e.g. 'lunedì 7 dicembre 2026, 08:30'. */
  label: string;
}

/**
 * The next `count` openings from `from` (an opening in progress counts, from `from`). Throws
 * OfficeCalendarError('NO_OPENING_WITHIN_HORIZON') when there is none within the horizon.
 */
export function previewOpenings(calendar: OfficeCalendar, from: number, count: number): OpeningPreview[] {
  const out: OpeningPreview[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    let opensAt: number;
    try {
      opensAt = nextOpening(calendar, t);
    } catch (err) {
      if (i > 0 && err instanceof OfficeCalendarError && err.code === 'NO_OPENING_WITHIN_HORIZON') break;
      throw err;
    }
    const closesAt = nextClosing(calendar, opensAt);
    out.push({ opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString(), label: describeInstant(calendar, opensAt) });
    t = closesAt;
  }
  return out;
}

/** Null when the calendar has an opening within the search horizon from `from`, else why not (Italian). */
export function noOpeningProblem(calendar: OfficeCalendar, from: number): string | null {
  try {
    nextOpening(calendar, from);
    return null;
  } catch (err) {
    if (err instanceof OfficeCalendarError && err.code === 'NO_OPENING_WITHIN_HORIZON') {
      return `con questo calendario l’ufficio non aprirebbe mai nei prossimi ${SEARCH_HORIZON_DAYS} giorni`;
    }
    throw err;
  }
}

function italianDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
}

function closureText(c: ExtraClosure): string {
  const when = c.until !== undefined && c.until !== c.date ? `dal ${italianDate(c.date)} al ${italianDate(c.until)}` : `il ${italianDate(c.date)}`;
  return `${when} (${c.reason})`;
}

function openingText(o: ExtraOpening): string {
  return `il ${italianDate(o.date)} ${o.slots.map((s) => `${s.open}-${s.close}`).join(', ')} (${o.reason})`;
}

/** JSON with sorted keys: PostgreSQL's jsonb does not keep the key order of what was stored. */
function keyOf(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(keyOf).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${keyOf(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What changed, in Italian, for the case timeline: "Calendario dell'ufficio modificato: ...". */
export function describeCalendarChange(before: OfficeCalendar, after: OfficeCalendar): string {
  const parts: string[] = [];
  const diff = <T>(a: readonly T[], b: readonly T[]): T[] => b.filter((x) => !a.some((y) => keyOf(y) === keyOf(x)));
  for (const c of diff(before.extraClosures, after.extraClosures)) parts.push(`chiusura straordinaria ${closureText(c)}`);
  for (const c of diff(after.extraClosures, before.extraClosures)) parts.push(`annullata la chiusura ${closureText(c)}`);
  for (const o of diff(before.extraOpenings ?? [], after.extraOpenings ?? [])) parts.push(`apertura straordinaria ${openingText(o)}`);
  for (const o of diff(after.extraOpenings ?? [], before.extraOpenings ?? [])) parts.push(`annullata l’apertura ${openingText(o)}`);
  if (keyOf(before.weeklyHours) !== keyOf(after.weeklyHours)) parts.push('orario settimanale cambiato');
  if (keyOf(before.patronDays) !== keyOf(after.patronDays)) parts.push('santo patrono cambiato');
  const text = `Calendario dell'ufficio modificato: ${parts.length > 0 ? parts.join('; ') : 'nessuna differenza negli orari'}`;
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
