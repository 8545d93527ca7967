/** The console's only way to the server: the `/api` routes, with the session's bearer token. */

import type { Role } from '../../src/domain';
import type { CaseState } from '../../src/contract/api';
export type * from '../../src/contract/admin';

export type { Role };

export interface SessionUser {
  id: string;
  displayName: string;
  role: Role;
  comuneCode: string | null;
}

export interface Session {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** A problem+json answer (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One line for an alert: the problem's message, then each field named with what is wrong. */
export function problemText(err: unknown): string {
  if (!(err instanceof ApiError)) return String(err);
  const fields = err.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return fields ? `${err.message} – ${fields}` : err.message;
}

type Listener = () => void;
let onUnauthorized: Listener = () => undefined;
/** Called when the server says the token is no longer valid (expired, revoked). */
export function setUnauthorizedHandler(listener: Listener): void {
  onUnauthorized = listener;
}

const STATUS_TEXT: Record<number, string> = {
  0: 'Server non raggiungibile: controllare la connessione',
  401: 'Sessione scaduta: accedere di nuovo',
  403: 'Operazione non consentita per il tuo ruolo',
  404: 'Non trovato',
  409: 'Conflitto con lo stato attuale',
  422: 'Dati non validi',
  429: 'Troppi tentativi: riprovare più tardi',
  503: 'Servizio temporaneamente non disponibile',
};

export async function apiFetch<T>(
  token: string | null,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; data: T }> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, STATUS_TEXT[0] ?? 'Errore di rete');
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const p = (data ?? {}) as { detail?: string; title?: string; code?: string; errors?: FieldIssue[] };
    if (res.status === 401 && token) onUnauthorized();
    throw new ApiError(res.status, p.detail ?? STATUS_TEXT[res.status] ?? `Errore ${res.status}`, p.code, p.errors ?? []);
  }
  return { status: res.status, data: data as T };
}

/** The answer of an action the workflow has registered but not yet confirmed (HTTP 202). */
export interface PendingAnswer {
  status: 'pending';
  requestId: string;
  pollUrl: string;
}

function isPending(status: number, data: unknown): data is PendingAnswer {
  return status === 202 && typeof data === 'object' && data !== null && (data as PendingAnswer).status === 'pending' && typeof (data as PendingAnswer).pollUrl === 'string';
}

/** One key per user action: generated once per click, reused by the console's own retries. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts (https, localhost); getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') return `pis-${crypto.randomUUID()}`;
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `pis-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const PENDING_TEXT = 'Registrato, in attesa di conferma';

export interface ActOptions {
  /** Called once when the server answers 202: the action is registered, its outcome pending. */
  onPending?: (p: PendingAnswer) => void;
  /** Timing of the console's retries and polls (tests shorten them). */
  retryDelayMs?: number;
  pollIntervalMs?: number;
  /** Give up polling after this long (the request stays registered on the server). */
  maxPollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A mutating action (claim, complete, reassign, cancel, ...): sent with one Idempotency-Key,
 * retried with the same key when the network fails (the server answers a retry with the first
 * outcome, never applies it twice); a 202 is polled at its `pollUrl` until the final outcome,
 * which is returned (or thrown as ApiError) exactly as a direct answer would be.
 */
export async function act<T>(token: string | null, path: string, body: unknown, options: ActOptions = {}): Promise<T> {
  const headers = { 'Idempotency-Key': newIdempotencyKey() };
  const retryDelay = options.retryDelayMs ?? 1000;
  let answer: { status: number; data: unknown } | undefined;
  for (let attempt = 0; answer === undefined; attempt += 1) {
    try {
      answer = await apiFetch<unknown>(token, 'POST', path, body, headers);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 0) || attempt >= 2) throw err;
      await sleep(retryDelay * (attempt + 1));
    }
  }
  if (!isPending(answer.status, answer.data)) return answer.data as T;
  const pending = answer.data;
  options.onPending?.(pending);
  const deadline = Date.now() + (options.maxPollMs ?? 10 * 60_000);
  for (;;) {
    await sleep(options.pollIntervalMs ?? 2000);
    let polled: { status: number; data: unknown };
    try {
      polled = await apiFetch<unknown>(token, 'GET', pending.pollUrl);
    } catch (err) {
      // A network hiccup while polling changes nothing: keep polling. A real outcome is thrown.
      if (!(err instanceof ApiError && err.status === 0)) throw err;
      polled = { status: 202, data: pending };
    }
    if (!isPending(polled.status, polled.data)) return polled.data as T;
    if (Date.now() > deadline) {
      throw new ApiError(202, 'Registrato ma non ancora confermato dal sistema: controllare più tardi lo stato del caso', 'STILL_PENDING');
    }
  }
}

/** A file answer (exports) saved by the browser under `filename`; errors as ApiError. */
export async function apiDownload(token: string | null, path: string, filename: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, STATUS_TEXT[0] ?? 'Errore di rete');
  }
  if (!res.ok) throw new ApiError(res.status, STATUS_TEXT[res.status] ?? `Errore ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Bound to one session: `api.get('/api/tasks')`. */
export function client(token: string | null) {
  return {
    get: async <T>(path: string) => (await apiFetch<T>(token, 'GET', path)).data,
    post: async <T>(path: string, body?: unknown, headers?: Record<string, string>) => apiFetch<T>(token, 'POST', path, body, headers),
    put: async <T>(path: string, body: unknown) => (await apiFetch<T>(token, 'PUT', path, body)).data,
    patch: async <T>(path: string, body: unknown) => (await apiFetch<T>(token, 'PATCH', path, body)).data,
    /** A workflow action: Idempotency-Key, retries with the same key, 202 polled to its outcome. */
    act: <T = CaseState>(path: string, body?: unknown, options?: ActOptions) => act<T>(token, path, body, options),
    del: async <T>(path: string) => (await apiFetch<T>(token, 'DELETE', path)).data,
    download: (path: string, filename: string) => apiDownload(token, path, filename),
  };
}
export type Api = ReturnType<typeof client>;

export interface LoginMethods {
  local: boolean;
  sso: { label: string; loginUrl: string } | null;
}

/** What the login page offers; on any failure, the password form alone (the old behaviour). */
export async function loginMethods(): Promise<LoginMethods> {
  try {
    const { data } = await apiFetch<LoginMethods>(null, 'GET', '/api/v1/auth/methods');
    return data;
  } catch {
    return { local: true, sso: null };
  }
}

export async function login(username: string, password: string): Promise<Session> {
  const { data } = await apiFetch<Session>(null, 'POST', '/api/auth/login', { username, password });
  return data;
}

/** Ends the session on the server too: the token is refused from now on. Never throws (offline: it still expires). */
export async function logout(token: string): Promise<void> {
  try {
    await fetch('/api/auth/logout', { method: 'POST', headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } });
  } catch {
    // Nothing to do: the local session is dropped anyway.
  }
}

// ------------------------------------------------------------------ shapes of the API answers

export type { CaseFile, CaseRow, CaseState, CaseTask, Comune, Page, TaskDetail, TaskItem, UserRef } from '../../src/contract/api';
export type { AdminUser, AdminUserList, AdminUserWithPassword } from '../../src/contract/users';
export type { ResourceHoldItem, ResourceHoldList, ResourceItem, ResourceList } from '../../src/contract/resources';
