import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { LiveEventName, TaskEventData } from '../../src/contract/alerts';
import { TASK_LABELS } from './labels';
import type { Session } from './api';

/**
 * The console's push stream: one `GET /api/events` per signed-in tab, read with `fetch` (the
 * Bearer token in the header, as every request), reconnecting by itself with backoff (1 s doubling
 * to 30 s) and `Last-Event-ID`, so nothing is missed. Pages subscribe with `useLiveRefresh`; they
 * keep a slow fallback refresh (FALLBACK_REFRESH_MS) for when the stream is down.
 * Browser alerts (opt-in, "Avvisi sul browser", per user in localStorage): a notification and a
 * short tone (Web Audio, no file) for a new task of the user's role and for an escalation.
 */
export interface LiveEvent {
  id?: string;
  event: LiveEventName;
  data: Record<string, unknown>;
}
type Listener = (e: LiveEvent) => void;

export const FALLBACK_REFRESH_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;
/** No byte (not even a heartbeat) for this long: the connection is dead, reconnect. */
const SILENCE_MS = 75_000;

interface LiveContext {
  subscribe(listener: Listener): () => void;
  connected: boolean;
}

const Ctx = createContext<LiveContext | null>(null);

export function LiveEventsProvider({ session, children }: { session: Session; children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    let stopped = false;
    let lastId: string | undefined;
    let attempt = 0;
    let abort: AbortController | undefined;
    let retry: number | undefined;

    const dispatch = (e: LiveEvent) => {
      if (e.id !== undefined) lastId = e.id;
      maybeAlert(session, e);
      for (const l of [...listeners.current]) l(e);
    };

    const run = async () => {
      abort = new AbortController();
      let silence: number | undefined;
      const arm = () => {
        window.clearTimeout(silence);
        silence = window.setTimeout(() => abort?.abort(), SILENCE_MS);
      };
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${session.token}` };
        if (lastId !== undefined) headers['Last-Event-ID'] = lastId;
        const res = await fetch('/api/events', { headers, signal: abort.signal, cache: 'no-store' });
        if (res.status === 401) return; // the session is over: the next request signs the user out
        if (!res.ok || !res.body) throw new Error(`events ${res.status}`);
        arm();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          arm();
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const e = parseBlock(block);
            if (!e) continue;
            if (e.event === 'ready' || e.event === 'reset') {
              attempt = 0;
              setConnected(true);
            }
            dispatch(e);
          }
        }
      } catch {
        // network error, abort, server restart: reconnect below
      } finally {
        window.clearTimeout(silence);
        setConnected(false);
      }
      if (stopped) return;
      const delay = Math.min(1000 * 2 ** attempt, MAX_BACKOFF_MS);
      attempt += 1;
      retry = window.setTimeout(() => void run(), delay);
    };
    void run();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      abort?.abort();
    };
  }, [session]);

  const value = useMemo<LiveContext>(
    () => ({
      subscribe: (l) => {
        listeners.current.add(l);
        return () => listeners.current.delete(l);
      },
      connected,
    }),
    [connected],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

function parseBlock(block: string): LiveEvent | undefined {
  let id: string | undefined;
  let event: string | undefined;
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (event === undefined) return undefined;
  try {
    return { id, event: event as LiveEventName, data: data ? (JSON.parse(data) as Record<string, unknown>) : {} };
  } catch {
    return undefined;
  }
}

/** Whether the push stream is up (for a small indicator). */
export function useLiveConnected(): boolean {
  return useContext(Ctx)?.connected ?? false;
}

/**
 * Calls `reload` (coalesced, 100 ms) when one of `events` arrives (and `filter` accepts it), and
 * on `reset` (the stream missed too much).
 */
export function useLiveRefresh(events: readonly LiveEventName[], reload: () => unknown, filter?: (e: LiveEvent) => boolean): void {
  const ctx = useContext(Ctx);
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const key = events.join(',');
  useEffect(() => {
    if (!ctx) return;
    let timer: number | undefined;
    const unsubscribe = ctx.subscribe((e) => {
      if (e.event !== 'reset' && (!key.split(',').includes(e.event) || (filterRef.current && !filterRef.current(e)))) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void reloadRef.current(), 100);
    });
    return () => {
      window.clearTimeout(timer);
      unsubscribe();
    };
  }, [ctx, key]);
}

// ------------------------------------------------------------------------- browser alerts

const alertsKey = (userId: string) => `pis.alerts.${userId}`;

export function browserAlertsEnabled(userId: string): boolean {
  try {
    return localStorage.getItem(alertsKey(userId)) === 'on';
  } catch {
    return false;
  }
}

export function setBrowserAlerts(userId: string, on: boolean): void {
  try {
    if (on) localStorage.setItem(alertsKey(userId), 'on');
    else localStorage.removeItem(alertsKey(userId));
  } catch {
    // storage unavailable: the toggle lasts for this page only
  }
}

/** A new task for the user's role (their Comune, for social workers) or an escalation for a coordinator. */
export function alertFor(session: Session, e: LiveEvent): { title: string; body: string } | undefined {
  if (e.event !== 'task.available') return undefined;
  const t = e.data as unknown as TaskEventData;
  const user = session.user;
  if (t.candidateRole !== user.role) return undefined;
  if (user.role === 'social_worker' && t.comuneCode !== user.comuneCode) return undefined;
  const label = (TASK_LABELS as Record<string, string>)[t.type] ?? 'Attività';
  if (t.type === 'escalation') return { title: 'Escalation al coordinamento', body: `${label}: apri la console per i dettagli.` };
  return { title: 'Nuova attività disponibile', body: `${label}: da prendere in carico.` };
}

function maybeAlert(session: Session, e: LiveEvent): void {
  if (!browserAlertsEnabled(session.user.id)) return;
  const alert = alertFor(session, e);
  if (!alert) return;
  beep(alert.title.startsWith('Escalation') ? 2 : 1);
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    try {
      new Notification(alert.title, { body: alert.body, tag: typeof e.data.taskId === 'string' ? e.data.taskId : undefined, lang: 'it' });
    } catch {
      // some browsers allow notifications only from a service worker: the tone is enough
    }
  }
}

let audio: AudioContext | undefined;

/** A short tone (or two), synthesised: no sound file is downloaded. */
export function beep(times = 1): void {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    for (let i = 0; i < times; i++) {
      const start = ctx.currentTime + i * 0.25;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.2);
    }
  } catch {
    // no audio in this browser
  }
}

/** Asks the browser's permission (on the user's click) and remembers the choice for this user. */
export async function enableBrowserAlerts(userId: string): Promise<boolean> {
  setBrowserAlerts(userId, true);
  // Created on the user's click, so the browser lets it play later.
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') await audio.resume();
  } catch {
    // no audio in this browser
  }
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'default') return (await Notification.requestPermission()) === 'granted';
  return Notification.permission === 'granted';
}
