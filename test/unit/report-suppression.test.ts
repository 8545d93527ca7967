import { ambiguous, suppressCounts } from '../../src/reports/suppression';

/** The disclosure rule of the monitoring table (src/reports/suppression.ts), on small hand-made tables. */

const table = (rows: Array<[string[], number[]]>) => ({ keys: rows.map((r) => r[0]), counts: rows.map((r) => r[1]) });

describe('suppressCounts', () => {
  it('shows counts of 3 or more and 0, hides 1 and 2 as <3', () => {
    const out = suppressCounts(table([[['a'], [10, 0, 1, 2]], [['b'], [12, 0, 2, 1]], [['c'], [9, 3, 1, 1]]]));
    expect(out.map((r) => r[0])).toEqual([10, 12, 9]);
    expect(out.map((r) => r[1])).toEqual([0, 0, 3]);
    expect(out[0]![2]).toBe('<3');
    expect(out[1]![3]).toBe('<3');
  });

  it('hides every count of a row with fewer than 3 cases, zeros included', () => {
    const out = suppressCounts(table([[['a'], [2, 0, 1]], [['b'], [20, 5, 4]], [['c'], [30, 6, 7]]]));
    expect(out[0]).toEqual(['<3', '<3', '<3']);
  });

  it('hides the smallest other count when the only <3 of a column could be recomputed from the total', () => {
    // cases: 10 + 2 + 7 = 19 is the published total; 2 alone would be 19 - 17.
    const out = suppressCounts(table([[['a'], [10]], [['b'], [2]], [['c'], [7]]]));
    expect(out.map((r) => r[0])).toEqual([10, '<3', 'n.d.']);
  });

  it('protects two <3 cells whose sum would force both (1 + 1)', () => {
    const out = suppressCounts(table([[['a'], [10]], [['b'], [1]], [['c'], [1]], [['d'], [5]]]));
    expect(out.map((r) => r[0])).toEqual([10, '<3', '<3', 'n.d.']);
  });

  it('leaves two <3 cells alone when they stay ambiguous (1 + 2)', () => {
    const out = suppressCounts(table([[['a'], [10]], [['b'], [1]], [['c'], [2]], [['d'], [5]]]));
    expect(out.map((r) => r[0])).toEqual([10, '<3', '<3', 5]);
  });

  it('protects each line of a two-way table (every margin is another grouping’s answer)', () => {
    // Comune × outcome; Comune X: 10 and 2 ⇒ X's total 12 (groupBy=comune) would give 2 away.
    const out = suppressCounts(
      table([
        [['X', 'o1'], [10]],
        [['X', 'o2'], [2]],
        [['Y', 'o1'], [8]],
        [['Y', 'o2'], [9]],
      ]),
    );
    // X's line hides 10, outcome o2's line hides 9; the total then has three unknowns and 8 stays.
    expect(out.map((r) => r[0])).toEqual(['n.d.', '<3', 8, 'n.d.']);
  });
});

describe('ambiguous', () => {
  it('is false for a single hidden cell and true once another unknown joins it', () => {
    expect(ambiguous([{ value: 1, state: 'primary', low: 1 }, { value: 9, state: 'visible', low: 9 }])).toBe(false);
    expect(ambiguous([{ value: 1, state: 'primary', low: 1 }, { value: 9, state: 'secondary', low: 3 }])).toBe(true);
  });

  it('is false for 1 + 3 (the complementary cell must be at least 3, so the other is 1)', () => {
    expect(ambiguous([{ value: 1, state: 'primary', low: 1 }, { value: 3, state: 'secondary', low: 3 }])).toBe(false);
  });
});
