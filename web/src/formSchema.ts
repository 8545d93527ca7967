import type { ErrorSchema, RJSFSchema, RJSFValidationError } from '@rjsf/utils';
import type { FieldIssue } from './api';
import { FORM_ENUM_LABELS, FORM_KEY_LABELS } from './labels';

/**
 * Turns a task form's JSON Schema (made by the API from the workflow's zod form, Italian
 * `.describe()` texts) into what the form renderer shows: descriptions become labels, enum values
 * get Italian names, booleans start as "no", and the draft marker the browser validator does not
 * need is dropped. Validation messages are translated to Italian.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function prepare(node: unknown, key?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => prepare(n));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema') continue;
    if (k === 'properties' && isObject(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([name, child]) => [name, prepare(child, name)]));
    } else {
      out[k] = prepare(v);
    }
  }
  if (out.title === undefined) {
    if (typeof out.description === 'string') {
      out.title = out.description;
      delete out.description;
    } else if (key !== undefined && FORM_KEY_LABELS[key] !== undefined) {
      out.title = FORM_KEY_LABELS[key];
    }
  }
  if (Array.isArray(out.enum) && out.enum.every((e) => typeof e === 'string')) {
    const values = out.enum;
    delete out.enum;
    out.oneOf = values.map((value) => ({ const: value, title: FORM_ENUM_LABELS[value] ?? value }));
  }
  if (out.type === 'boolean' && out.default === undefined) out.default = false;
  return out;
}

export function prepareTaskSchema(schema: Record<string, unknown>): RJSFSchema {
  const prepared = prepare(schema) as Json;
  // The form's own title is shown by the page; the renderer would repeat it.
  delete prepared.title;
  return prepared;
}

const DATE_TIME_PATTERN_HINT = 'T(?:';

/** Italian message for one validator error (ajv keywords). */
export function italianMessage(error: Pick<RJSFValidationError, 'name' | 'params'> & { schemaPattern?: string }): string {
  const p = (error.params ?? {}) as { limit?: number; missingProperty?: string; type?: string; format?: string; pattern?: string };
  switch (error.name) {
    case 'required':
      return 'campo obbligatorio';
    case 'minLength':
      return p.limit === 1 ? 'campo obbligatorio' : `almeno ${p.limit} caratteri`;
    case 'maxLength':
      return `al massimo ${p.limit} caratteri`;
    case 'minimum':
      return `il valore minimo è ${p.limit}`;
    case 'maximum':
      return `il valore massimo è ${p.limit}`;
    case 'type':
      if (p.type === 'integer') return 'inserire un numero intero';
      if (p.type === 'number') return 'inserire un numero';
      return 'valore non valido';
    case 'format':
      return p.format === 'date-time' ? 'data e ora non valide' : 'formato non valido';
    case 'pattern':
      return p.pattern?.includes(DATE_TIME_PATTERN_HINT) ? 'data e ora non valide' : 'formato non valido';
    case 'enum':
    case 'const':
    case 'oneOf':
    case 'anyOf':
      return 'scegliere un valore dall’elenco';
    case 'minItems':
      return p.limit === 1 ? 'indicare almeno un elemento' : `indicare almeno ${p.limit} elementi`;
    case 'maxItems':
      return `al massimo ${p.limit} elementi`;
    case 'additionalProperties':
      return 'campo non previsto';
    default:
      return 'valore non valido';
  }
}

export function transformErrors(errors: RJSFValidationError[]): RJSFValidationError[] {
  // A const/oneOf choice that fails reports one error per option: keep the summary only.
  const kept = errors.filter((e) => e.name !== 'const');
  return kept.map((e) => {
    const message = italianMessage(e);
    const field = e.title ?? '';
    return { ...e, message, stack: field ? `${field}: ${message}` : message };
  });
}

/** The label of the field at an error's property path (`.questions.childrenCount`, `.notices.0.channel`). */
export function titleAt(schema: Record<string, unknown>, property: string | undefined): string | undefined {
  if (!property) return undefined;
  let node: unknown = schema;
  for (const part of property.replace(/^\./, '').split('.')) {
    if (!isObject(node)) return undefined;
    if (/^\d+$/.test(part) && isObject(node.items)) node = node.items;
    else node = isObject(node.properties) ? node.properties[part] : undefined;
  }
  return isObject(node) && typeof node.title === 'string' ? node.title : undefined;
}

/** The API's field issues (`questions.childrenCount`) as the renderer's error tree. */
export function issuesToErrorSchema(issues: FieldIssue[]): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    const parts = issue.path ? issue.path.split('.') : [];
    let node = root;
    for (const part of parts) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    const list = (node.__errors as string[] | undefined) ?? [];
    list.push(issue.message);
    node.__errors = list;
  }
  return root as ErrorSchema;
}
