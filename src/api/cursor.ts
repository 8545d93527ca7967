import { createHash } from 'node:crypto';
import { ProblemError } from './problem';

/**
 * Keyset pagination for the lists: a page ends with an opaque `nextCursor` holding the last row's
 * sort keys (and id, the tie-break) plus a fingerprint of the list's query; the next request
 * passes it as `cursor` and reads the rows strictly after that one, through the list's index, at
 * the same cost at page 1 or page 10,000 (an offset reads and drops every row before it). A
 * cursor used with other filters or another sort is refused: it would skip or repeat rows.
 */

/** One sort key: a column, its direction, and whether it may be null (nulls come last). */
export interface SortKey {
  field: string;
  order: 'asc' | 'desc';
  nullable?: boolean;
}

/** A sort key's value in a cursor: ISO instant, text, or null. */
type KeyValue = string | null;

interface CursorBody {
  k: KeyValue[];
  f: string;
}

/** What a cursor is bound to: the filters and sort of the list, without paging parameters. */
export function fingerprint(query: Record<string, unknown>): string {
  const stable = Object.keys(query)
    .filter((k) => k !== 'cursor' && k !== 'limit' && k !== 'offset' && query[k] !== undefined)
    .sort()
    .map((k) => [k, query[k]]);
  return createHash('sha256').update(JSON.stringify(stable)).digest('base64url').slice(0, 16);
}

export function encodeCursor(values: KeyValue[], fp: string): string {
  return Buffer.from(JSON.stringify({ k: values, f: fp } satisfies CursorBody)).toString('base64url');
}

function badCursor(message: string): ProblemError {
  return new ProblemError(400, { title: 'Bad Request', detail: 'Parametri di ricerca non validi', errors: [{ path: 'cursor', message }] });
}

/** The sort-key values of a cursor, checked against the list's query; 400 naming `cursor` otherwise. */
export function decodeCursor(cursor: string, keys: SortKey[], fp: string): KeyValue[] {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('cursore non valido');
  }
  const b = body as Partial<CursorBody> | null;
  if (typeof b !== 'object' || b === null || !Array.isArray(b.k) || b.k.length !== keys.length || typeof b.f !== 'string') {
    throw badCursor('cursore non valido');
  }
  if (b.f !== fp) throw badCursor('cursore di un’altra ricerca: ripartire dalla prima pagina');
  b.k.forEach((v, i) => {
    const key = keys[i] as SortKey;
    const ok = v === null ? key.nullable === true : typeof v === 'string' && v.length <= 64;
    if (!ok) throw badCursor('cursore non valido');
  });
  return b.k;
}

/** A sort-key value as it goes into the cursor (dates as ISO instants). */
export function keyValue(v: Date | string | null | undefined): KeyValue {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : v;
}

type Where = Record<string, unknown>;

/**
 * The rows strictly after `after` in the order of `keys` (nulls last in either direction), as a
 * Prisma filter: (k1 > v1) OR (k1 = v1 AND (k2 > v2 OR …)), with nulls handled per key.
 * `isDate` says which keys hold instants (their cursor text becomes a Date again).
 */
export function afterWhere(keys: SortKey[], after: KeyValue[], isDate: (field: string) => boolean): Where {
  const [key, ...rest] = keys;
  if (key === undefined) return { id: { in: [] } }; // nothing is after a row with itself as last key
  const [raw, ...restValues] = after;
  const value = raw === null || raw === undefined ? null : isDate(key.field) ? new Date(raw) : raw;
  const op = key.order === 'asc' ? 'gt' : 'lt';
  const tail = rest.length === 0 ? undefined : afterWhere(rest, restValues, isDate);
  if (value === null) {
    // Already among the nulls (last): only later rows that are also null.
    return tail === undefined ? { id: { in: [] } } : { AND: [{ [key.field]: null }, tail] };
  }
  const or: Where[] = [{ [key.field]: { [op]: value } }];
  if (tail !== undefined) or.push({ AND: [{ [key.field]: value }, tail] });
  if (key.nullable) or.push({ [key.field]: null });
  return { OR: or };
}

/** Prisma `orderBy` for the keys (nullable keys: nulls last). */
export function orderByOf(keys: SortKey[]): Array<Record<string, unknown>> {
  return keys.map((k) => ({ [k.field]: k.nullable ? { sort: k.order, nulls: 'last' } : k.order }));
}

/** Where a page starts: after the cursor's row, or (no cursor) at `offset`; both at once is refused. */
export function pageStart(q: { cursor?: string; offset: number }, keys: SortKey[], fp: string): KeyValue[] | undefined {
  if (q.cursor === undefined) return undefined;
  if (q.offset > 0) {
    throw new ProblemError(400, { title: 'Bad Request', detail: 'Parametri di ricerca non validi', errors: [{ path: 'offset', message: 'non insieme a cursor' }] });
  }
  return decodeCursor(q.cursor, keys, fp);
}
