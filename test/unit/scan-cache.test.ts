import { TemporalScanCache, type TemporalScan } from '../../src/supervision/stuck';

function scanAt(at: number): TemporalScan {
  return {
    at,
    workers: { status: { taskQueue: 'q', polling: true, pollers: 1, lastSeenAt: null }, versions: [] },
    running: [],
    reasons: [],
  };
}

describe('TemporalScanCache (stale-while-revalidate)', () => {
  it('waits for the first scan, then answers from cache and refreshes once in the background', async () => {
    const cache = new TemporalScanCache(1000);
    let calls = 0;
    let release: (() => void) | undefined;
    const scan = (at: number) => () => {
      calls += 1;
      return new Promise<TemporalScan>((resolve) => {
        release = () => resolve(scanAt(at));
      });
    };

    const first = cache.get(scan(0), 0);
    release?.();
    expect((await first).at).toBe(0);

    // Fresh: no new scan.
    expect((await cache.get(scan(500), 500)).at).toBe(0);
    expect(calls).toBe(1);

    // Stale: the old scan answers at once and one background scan starts, not two.
    expect((await cache.get(scan(2000), 2000)).at).toBe(0);
    expect((await cache.get(scan(2001), 2001)).at).toBe(0);
    expect(calls).toBe(2);
    release?.();
    await new Promise((r) => setImmediate(r));
    expect((await cache.get(scan(2002), 2002)).at).toBe(2000);
  });

  it('keeps the previous scan when a background scan fails', async () => {
    const cache = new TemporalScanCache(0);
    await cache.get(() => Promise.resolve(scanAt(1)), 1);
    await cache.get(() => Promise.reject(new Error('temporal down')), 5);
    await new Promise((r) => setImmediate(r));
    expect((await cache.get(() => Promise.resolve(scanAt(9)), 6)).at).toBe(1);
  });
});
