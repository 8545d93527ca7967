/**
 * Statistical disclosure control of the monitoring table (aggregates of cases, GDPR special
 * categories: a count of 1 or 2 can point at a person).
 *
 * The rule, applied to every count of the table (a count is always a number of cases):
 *
 * 1. Primary suppression: a count of 1 or 2 is shown as "<3". A row (group) of fewer than 3 cases
 *    shows "<3" in every count (each is then between 0 and 2) and no response times. A 0 is shown:
 *    it describes no one.
 * 2. Complementary suppression: every sum of rows of the table is public, either in this answer
 *    (the totals row) or in another grouping of the same filters (e.g. a Comune's total, asked
 *    without `outcome`). So for every set of rows that share the values of some of the groupings
 *    (every subset of them, the empty one being the totals row), the "<3" cells of each column must
 *    stay ambiguous given that set's exact sum: each of them must still be able to take at least
 *    two values. When one would be recomputable (the only hidden cell of its set, or all hidden
 *    cells forced to 1 or to 2), the smallest visible counts (≥ 3) of the set are hidden as well,
 *    shown as "n.d.", until every "<3" cell is ambiguous again.
 * 3. Periods are whole calendar months (the API accepts months only), so a window cannot be moved
 *    by a day to isolate a case; the period is a grouping like the others.
 *
 * What this does not cover: answers to different groupings are protected each on its own, so a
 * complementary "n.d." of one answer may be visible in another; every request is audited.
 * With `targetGroup` a case with several categories counts in each, so sums over target groups
 * exceed the true total; the check treats them as exact, which only makes it stricter.
 */

export const SUPPRESSION_THRESHOLD = 3;
export const SMALL = '<3';
export const WITHHELD = 'n.d.';
export type SuppressedCount = number | typeof SMALL | typeof WITHHELD;

type State = 'visible' | 'primary' | 'secondary';

interface Cell {
  value: number;
  state: State;
  /** Lowest value an observer knows the hidden cell can take. */
  low: number;
}

export interface CountTable {
  /** One key per row: the row's values of the groupings, in a fixed order. */
  keys: string[][];
  /** counts[row][column]; the first column is the row's number of cases. */
  counts: number[][];
}

/** Suppresses a table of counts (see the rule above); the answer has the table's shape. */
export function suppressCounts(table: CountTable): SuppressedCount[][] {
  const cells: Cell[][] = table.counts.map((row) => {
    const smallRow = (row[0] ?? 0) < SUPPRESSION_THRESHOLD;
    return row.map((value, col): Cell => {
      if (smallRow) return { value, state: 'primary', low: col === 0 ? 1 : 0 };
      if (value > 0 && value < SUPPRESSION_THRESHOLD) return { value, state: 'primary', low: 1 };
      return { value, state: 'visible', low: value };
    });
  });
  const dims = table.keys[0]?.length ?? 0;
  const columns = table.counts[0]?.length ?? 0;
  for (const subset of subsetsOf(dims)) {
    for (const group of groupRows(table.keys, subset)) {
      for (let col = 0; col < columns; col++) protect(group.map((r) => cells[r]![col]!));
    }
  }
  return cells.map((row) => row.map((c) => (c.state === 'visible' ? c.value : c.state === 'primary' ? SMALL : WITHHELD)));
}

/** A total of a column of counts, suppressed when small (its set is protected by suppressCounts). */
export function suppressTotal(value: number): SuppressedCount {
  return value > 0 && value < SUPPRESSION_THRESHOLD ? SMALL : value;
}

/** Hides the smallest visible counts of one set until none of its "<3" cells can be recomputed from its sum. */
function protect(set: Cell[]): void {
  if (!set.some((c) => c.state === 'primary')) return;
  while (!ambiguous(set)) {
    const candidate = set
      .filter((c) => c.state === 'visible' && c.value >= SUPPRESSION_THRESHOLD)
      .sort((a, b) => a.value - b.value)[0];
    // Nothing left to hide: the set's sum is itself small, and "<3" wherever it is shown.
    if (candidate === undefined) return;
    candidate.state = 'secondary';
    candidate.low = SUPPRESSION_THRESHOLD;
  }
}

/** Whether every primary cell of the set can still take two values, given the set's exact sum. */
export function ambiguous(set: ReadonlyArray<Pick<Cell, 'value' | 'state' | 'low'>>): boolean {
  const hidden = set.filter((c) => c.state !== 'visible');
  const rest = hidden.reduce((s, c) => s + c.value, 0);
  const high = (c: Pick<Cell, 'state'>) => (c.state === 'primary' ? SUPPRESSION_THRESHOLD - 1 : Number.POSITIVE_INFINITY);
  return hidden.every((c) => {
    if (c.state !== 'primary') return true;
    const othersLow = hidden.reduce((s, o) => (o === c ? s : s + o.low), 0);
    const othersHigh = hidden.reduce((s, o) => (o === c ? s : s + high(o)), 0);
    const min = Math.max(c.low, rest - othersHigh);
    const max = Math.min(high(c), rest - othersLow);
    return max > min;
  });
}

/** Every proper subset of the groupings (as index lists), the empty one (the totals row) included, largest first. */
function subsetsOf(dims: number): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < (1 << dims) - 1; mask++) {
    out.push([...Array(dims).keys()].filter((i) => (mask & (1 << i)) !== 0));
  }
  if (dims === 0) out.push([]);
  // Narrow sets first: their complementary cells often protect the wider sets too.
  return out.sort((a, b) => b.length - a.length);
}

/** Row indexes grouped by their values of the groupings in `subset`. */
function groupRows(keys: string[][], subset: number[]): number[][] {
  const groups = new Map<string, number[]>();
  keys.forEach((key, row) => {
    const id = JSON.stringify(subset.map((i) => key[i]));
    const g = groups.get(id);
    if (g) g.push(row);
    else groups.set(id, [row]);
  });
  return [...groups.values()];
}
