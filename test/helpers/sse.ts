/**
 * A Server-Sent Events client as the console has it: `fetch` with the Bearer token, the stream
 * read and parsed. Collects every event; `next(pred)` waits for one that matches.
 */
export interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

export interface SseClient {
  events: SseEvent[];
  comments: string[];
  status: number;
  /** The id of the last event received (what a client sends as Last-Event-ID). */
  lastId(): string | undefined;
  waitFor(what: string, pred: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  waitForComment(timeoutMs?: number): Promise<string>;
  /** Settles when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function connectSse(url: string, token: string, lastEventId?: string): Promise<SseClient> {
  const abort = new AbortController();
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let last: string | undefined = lastEventId;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());

  const ended = (async () => {
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const ev: Partial<SseEvent> & { dataText?: string } = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.dataText = line.slice(6);
          }
          if (ev.event !== undefined) {
            if (ev.id !== undefined) last = ev.id;
            events.push({ id: ev.id, event: ev.event, data: JSON.parse(ev.dataText ?? '{}') as Record<string, unknown> });
          }
          wake();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      wake();
    }
  })();

  const waitUntil = async <T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => e.event))}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  };

  return {
    events,
    comments,
    status: res.status,
    lastId: () => last,
    waitFor: (what, pred, timeoutMs = 30_000) => waitUntil(what, () => events.find(pred), timeoutMs),
    waitForComment: (timeoutMs = 30_000) => waitUntil('a comment', () => comments[0], timeoutMs),
    ended,
    close: () => abort.abort(),
  };
}
