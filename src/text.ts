import { z } from 'zod';

/**
 * The one rule for free text entered by people (intake, task forms, notes, reasons, login): pure
 * and deterministic, so the API and the workflow's update validators apply the same check.
 *
 * - Line breaks: CRLF, lone CR, U+2028 and U+2029 become "\n" (what a textarea sends anyway).
 * - Rejected ("contiene caratteri non ammessi"): C0 control characters except tab and newline
 *   (NUL included: PostgreSQL refuses it in text and jsonb), DEL, C1 controls (U+0080–U+009F),
 *   lone UTF-16 surrogates (not Unicode text; an invalid UTF-8 byte in a JSON body already
 *   arrives as U+FFFD, which is kept), and the bidi embedding/override/isolate controls
 *   U+202A–U+202E and U+2066–U+2069, which can make a name or a reason read differently from what
 *   is stored ("Trojan source"). The implicit marks U+200E/U+200F stay allowed: mixed Arabic or
 *   Hebrew and Latin text legitimately uses them.
 * - Normalised to NFC (a decomposed "e" + U+0301 is stored as "é"), then trimmed when the field
 *   is trimmed; the length bound counts UTF-16 code units after normalisation.
 */

const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const TEXT_MESSAGES = {
  control: 'contiene caratteri non ammessi (caratteri di controllo)',
  bidi: 'contiene caratteri non ammessi (controllo della direzione del testo)',
  surrogate: 'contiene caratteri non ammessi (testo Unicode non valido)',
  required: 'campo obbligatorio',
} as const;

/** Why `value` (already normalised) is not acceptable free text, or undefined when it is. */
export function textProblem(value: string): string | undefined {
  if (CONTROL.test(value)) return TEXT_MESSAGES.control;
  if (LONE_SURROGATE.test(value)) return TEXT_MESSAGES.surrogate;
  if (BIDI_CONTROL.test(value)) return TEXT_MESSAGES.bidi;
  return undefined;
}

/** Line breaks unified and NFC; lone surrogates are left as they are (normalize keeps them) so the check sees them. */
export function normaliseText(value: string): string {
  return value.replace(LINE_BREAKS, '\n').normalize('NFC');
}

export interface TextOptions {
  max: number;
  /** Minimum length after trimming (default 0). */
  min?: number;
  minMessage?: string;
  /** Trim surrounding whitespace (default true, as every field did before). */
  trim?: boolean;
}

/** A free-text field: see the module comment. */
export function text({ max, min = 0, minMessage, trim = true }: TextOptions): z.ZodString {
  let schema = z.string().overwrite(normaliseText);
  if (trim) schema = schema.trim();
  schema = schema.superRefine((value, ctx) => {
    const problem = textProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
  if (min > 0) schema = schema.min(min, minMessage ?? (min === 1 ? TEXT_MESSAGES.required : `almeno ${min} caratteri`));
  return schema.max(max, `al massimo ${max} caratteri`);
}

/** A free-text field that must not be empty after trimming. */
export function requiredText(max: number): z.ZodString {
  return text({ max, min: 1 });
}

/** The reason of a coordinator's action (cancel, override, move handover, reassign, escalate). */
export const reasonText = text({ max: 1000, min: 3, minMessage: 'almeno 3 caratteri' });
