import { z } from 'zod';

/**
 * Instants entered by people (ISO 8601 with offset). Pure and clock-free, so the workflow's
 * validators can use it: besides the format, a static plausibility range (years 2000–2099) keeps
 * out what PostgreSQL cannot store (year 0000 ⇒ 22008) or what no case can mean (9999). Windows
 * relative to the current time (reportedAt not in the future, …) depend on settings and the
 * clock and are checked by the API (src/api/date-windows.ts).
 */

export const PLAUSIBLE_FROM = Date.parse('2000-01-01T00:00:00Z');
export const PLAUSIBLE_TO = Date.parse('2100-01-01T00:00:00Z');

/**
 * The furthest ahead a handover may be moved, whatever the API's setting
 * (HANDOVER_MOVE_HORIZON_DAYS may only be lower): the workflow cannot read settings.
 */
export const MAX_HANDOVER_MOVE_HORIZON_DAYS = 366;

export const INSTANT_MESSAGES = {
  format: 'data e ora in formato ISO 8601',
  implausible: 'data fuori dall’intervallo ammesso (anni 2000–2099)',
  unstorable: 'data non valida (anno precedente a 0001)',
} as const;

/** True when `iso` parses and falls in the plausible range. */
export function isPlausibleInstant(iso: string): boolean {
  const t = Date.parse(iso);
  return !Number.isNaN(t) && t >= PLAUSIBLE_FROM && t < PLAUSIBLE_TO;
}

/** Year 0000 and earlier: JavaScript parses them, PostgreSQL's timestamp refuses them (22008). */
export const STORABLE_FROM = Date.parse('0001-01-01T00:00:00Z');

/**
 * An ISO 8601 instant PostgreSQL can store (task-form dates): only what would fail the write is
 * refused, so forms completed before this rule still validate when their histories replay.
 */
export function storableInstant(message: string = INSTANT_MESSAGES.format) {
  return z.iso
    .datetime({ offset: true, message })
    .refine((v) => Number.isNaN(Date.parse(v)) || Date.parse(v) >= STORABLE_FROM, { message: INSTANT_MESSAGES.unstorable });
}

/** An ISO 8601 instant with offset, within the plausible range. */
export function isoInstant(message: string = INSTANT_MESSAGES.format) {
  return z.iso
    .datetime({ offset: true, message })
    .refine((v) => Number.isNaN(Date.parse(v)) || isPlausibleInstant(v), { message: INSTANT_MESSAGES.implausible });
}
