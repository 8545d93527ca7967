/** One HTTP exchange with a deadline; a network error or timeout is an answer too. */
export interface Answer {
  status?: number;
  body?: unknown;
  /** ECONNREFUSED, ECONNRESET, timeout, … when no HTTP answer came. */
  error?: string;
  startedAt: number;
  endedAt: number;
}

export async function call(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  opts: { token?: string; key?: string; body?: unknown; timeoutMs: number },
): Promise<Answer> {
  const startedAt = Date.now();
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.key) headers['Idempotency-Key'] = opts.key;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body, startedAt, endedAt: Date.now() };
  } catch (err) {
    return { error: describeNetworkError(err), startedAt, endedAt: Date.now() };
  }
}

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string }; code?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  return e?.cause?.code ?? e?.code ?? e?.message ?? 'network error';
}

export const is2xx = (s?: number) => s !== undefined && s >= 200 && s < 300;

export function field(body: unknown, ...names: string[]): unknown {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const n of names) {
    const v = (body as Record<string, unknown>)[n];
    if (v !== undefined) return v;
  }
  return undefined;
}
