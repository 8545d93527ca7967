import { scanError, TemporalScanCache, type TemporalScan } from '../../src/supervision/stuck';

function scanAt(at: number): TemporalScan {
  return {
    at,
    workers: { status: { taskQueue: 'q', polling: true, pollers: 1, lastSeenAt: null }, versions: [] },
    running: [],
    reasons: [],
  };
}

/** A gRPC-like failure as @temporalio/client raises it (ServiceError caused by a status code). */
function unavailable(): Error {
  const err = new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233 (case Mario Rossi)');
  err.name = 'ServiceError';
  (err as Error & { cause: unknown }).cause = Object.assign(new Error('inner'), { code: 14 });
  return err;
}

describe('TemporalScanCache (stale-while-revalidate)', () => {
  it('waits for the first scan, then answers from cache and refreshes once in the background', async () => {
    const cache = new TemporalScanCache(1000, { hardMaxAgeMs: 60_000 });
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
    expect((await first).scan?.at).toBe(0);

    // Fresh: no new scan.
    expect((await cache.get(scan(500), 500)).scan?.at).toBe(0);
    expect(calls).toBe(1);

    // Stale: the old scan answers at once and one background scan starts, not two.
    expect((await cache.get(scan(2000), 2000)).scan?.at).toBe(0);
    expect((await cache.get(scan(2001), 2001)).scan?.at).toBe(0);
    expect(calls).toBe(2);
    release?.();
    await new Promise((r) => setImmediate(r));
    const after = await cache.get(scan(2002), 2002);
    expect(after.scan?.at).toBe(2000);
    expect(after.status).toEqual({ ok: true, lastSuccessAt: new Date(2000).toISOString() });
  });

  it('says when the scan fails and since when, keeping the last good scan and its time', async () => {
    const cache = new TemporalScanCache(0, { hardMaxAgeMs: 60_000 });
    await cache.get(() => Promise.resolve(scanAt(1)), 1);
    await cache.get(() => Promise.reject(unavailable()), 5);
    await new Promise((r) => setImmediate(r));
    const failing = await cache.get(() => Promise.reject(unavailable()), 6);
    await new Promise((r) => setImmediate(r));
    expect(failing.scan?.at).toBe(1);
    expect(failing.status).toEqual({
      ok: false,
      lastSuccessAt: new Date(1).toISOString(),
      // The first failure after the last success, not the latest one.
      failingSince: new Date(5).toISOString(),
      error: { class: 'ServiceError', code: 'UNAVAILABLE' },
    });
    // No message, address or personal data travels.
    expect(JSON.stringify(failing.status)).not.toMatch(/Mario|ECONNREFUSED|7233/);

    // Recovery clears the failure.
    await cache.get(() => Promise.resolve(scanAt(9)), 9);
    await new Promise((r) => setImmediate(r));
    expect((await cache.get(() => Promise.resolve(scanAt(10)), 9)).status).toEqual({ ok: true, lastSuccessAt: new Date(9).toISOString() });
  });

  it('reports a failing first scan instead of throwing', async () => {
    const cache = new TemporalScanCache(1000);
    const result = await cache.get(() => Promise.reject(unavailable()), 100);
    expect(result.scan).toBeUndefined();
    expect(result.status).toMatchObject({ ok: false, lastSuccessAt: null, failingSince: new Date(100).toISOString() });
  });

  it('does not serve a scan older than the hard limit without trying a new one first', async () => {
    const cache = new TemporalScanCache(1000, { hardMaxAgeMs: 5000 });
    await cache.get(() => Promise.resolve(scanAt(0)), 0);
    // Within the hard limit: answered from cache (the refresh runs in the background).
    expect((await cache.get(() => Promise.resolve(scanAt(3000)), 3000)).scan?.at).toBe(0);
    await new Promise((r) => setImmediate(r));
    // Beyond it: the request waits for the new scan.
    expect((await cache.get(() => Promise.resolve(scanAt(20_000)), 20_000)).scan?.at).toBe(20_000);
  });

  it('bounds a scan that hangs (Temporal not answering) and reports it as a timeout', async () => {
    const cache = new TemporalScanCache(1000, { timeoutMs: 20 });
    const result = await cache.get(() => new Promise<TemporalScan>(() => undefined), 0);
    expect(result.status).toMatchObject({ ok: false, error: { class: 'ScanTimeoutError' } });
  });

  it('scanError keeps only class and code', () => {
    expect(scanError(unavailable())).toEqual({ class: 'ServiceError', code: 'UNAVAILABLE' });
    expect(scanError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({ class: 'Error', code: 'ECONNRESET' });
    expect(scanError('weird')).toEqual({ class: 'string' });
  });
});
