import type { DateWindowSettings } from '../config';
import type { ProblemFieldError } from './problem';
import { ProblemError } from './problem';

/**
 * Plausible windows, relative to now, for the instants operators enter: a report is not received
 * tomorrow nor last year, a handover is not moved to 9999 nor to before now (it would fire at
 * once). Pure over (value, now, settings); the routes turn issues into a 422 naming the field.
 * The format and the static range (years 2000–2099) are the schemas' job (src/instants.ts).
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface Window {
  notBefore: number;
  notAfter: number;
  tooEarly: string;
  tooLate: string;
}

export function windowIssue(path: string, iso: string, w: Window): ProblemFieldError | undefined {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return { path, message: 'data e ora in formato ISO 8601' };
  if (t < w.notBefore) return { path, message: w.tooEarly };
  if (t > w.notAfter) return { path, message: w.tooLate };
  return undefined;
}

function pastWindow(now: number, settings: DateWindowSettings, maxAgeDays: number): Window {
  return {
    notBefore: now - maxAgeDays * DAY,
    notAfter: now + settings.clockSkewMinutes * MINUTE,
    tooEarly: `data troppo lontana nel passato (al massimo ${maxAgeDays} giorni fa)`,
    tooLate: 'data nel futuro: indicare un’ora già trascorsa',
  };
}

/** Intake `reportedAt`: within the last REPORTED_AT_MAX_AGE_DAYS, not in the future. */
export function reportedAtWindow(now: number, settings: DateWindowSettings): Window {
  return pastWindow(now, settings, settings.reportedAtMaxAgeDays);
}

/** Task completion `submittedAt`: within the last SUBMITTED_AT_MAX_AGE_DAYS, not in the future. */
export function submittedAtWindow(now: number, settings: DateWindowSettings): Window {
  return pastWindow(now, settings, settings.submittedAtMaxAgeDays);
}

/** Move-handover `at`: from now (minus the skew) to HANDOVER_MOVE_HORIZON_DAYS ahead. */
export function handoverMoveWindow(now: number, settings: DateWindowSettings): Window {
  return {
    notBefore: now - settings.clockSkewMinutes * MINUTE,
    notAfter: now + settings.handoverMoveHorizonDays * DAY,
    tooEarly: 'data già trascorsa: il passaggio di consegne va spostato a un’ora futura',
    tooLate: `data troppo lontana (al massimo ${settings.handoverMoveHorizonDays} giorni da oggi)`,
  };
}

/** 422 naming the field when `iso` (if given) is outside `window`. */
export function requireInWindow(path: string, iso: string | undefined, window: Window): void {
  if (iso === undefined) return;
  const issue = windowIssue(path, iso, window);
  if (issue) throw new ProblemError(422, { title: 'Validation Failed', detail: 'Dati non validi', errors: [issue] });
}
