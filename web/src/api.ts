/** The console's only way to the server: the `/api` routes, with the session's bearer token. */

export type Role = 'intake_operator' | 'emergency_operator' | 'coordinator' | 'social_worker' | 'admin';

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
  method: 'GET' | 'POST',
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

/** Bound to one session: `api.get('/api/tasks')`. */
export function client(token: string | null) {
  return {
    get: async <T>(path: string) => (await apiFetch<T>(token, 'GET', path)).data,
    post: async <T>(path: string, body?: unknown, headers?: Record<string, string>) => apiFetch<T>(token, 'POST', path, body, headers),
  };
}
export type Api = ReturnType<typeof client>;

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

export interface TaskItem {
  id: string;
  caseId: string;
  type: string;
  label: string;
  status: string;
  candidateRole: Role;
  comuneCode: string | null;
  assigneeId: string | null;
  createdAt: string;
  claimedAt: string | null;
  dueAt: string | null;
  completedAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  case: { reference: string; status: string; step: string; riskLevel: string | null; eventComuneCode: string; competentComuneCode: string | null };
}

export interface TaskDetail extends TaskItem {
  formSchema: Record<string, unknown> | null;
  submission: { form: Record<string, unknown>; submittedById: string; submittedAt: string } | null;
}

export interface CaseState {
  caseId: string;
  reference: string;
  status: string;
  step: string;
  riskLevel: string | null;
  closure: { outcome: string; reason?: string } | null;
  tasks: Array<{ id: string; type: string; label: string; status: string; assigneeId: string | null; dueAt: string | null }>;
}

export interface CaseRow {
  id: string;
  reference: string;
  reportingForce?: string;
  reportNumber?: string;
  status: string;
  step: string;
  riskLevel: string | null;
  flags: string[];
  categories: string[];
  minorsInvolved: boolean;
  eventComuneCode: string;
  residenceComuneCode?: string | null;
  competentComuneCode: string | null;
  externalHandover: boolean;
  reportedAt: string;
  handoverAt: string | null;
  overdueSince: string | null;
  lastProgressAt: string;
  outcomeCode: string | null;
  outcomeReason?: string | null;
  closedAt: string | null;
  createdAt: string;
}

export interface CaseFile {
  case: CaseRow;
  report: { reportingForce?: string; officerName?: string; callbackNumber?: string; reportNumber?: string; eventAddress?: string; narrative?: string; immediateDangers?: string[] } | null;
  people: Array<{ id: string; role: string; firstName: string | null; lastName: string | null; birthYear: number | null; isMinor: boolean; gender: string | null; nationality: string | null; notes: string | null }>;
  tasks: { open: TaskItem[]; past: TaskItem[] };
  timeline: Array<{ id: string; seq: number; at: string; actorId: string; actorRole: string; kind: string; data: Record<string, unknown> }>;
  notes: Array<{ id: string; authorId: string; authorRole: string; text: string; createdAt: string }>;
  placements: Array<{ id: string; address: string | null; addressHidden?: boolean; placedAt: string }>;
  activations: Array<{ id: string; type?: string; activatedAt: string }>;
  reminders: Array<{ id: string; kind: string; dueAt: string; firedAt: string | null }>;
  handover: { comuneCode: string; external: boolean; openingAt: string; summary: Record<string, unknown> } | null;
  deadlines: Array<{ kind: string; at: string; taskId?: string; type?: string }>;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Comune {
  code: string;
  name: string;
  province: string;
  ambitoId: string | null;
}

export interface UserRef {
  id: string;
  displayName: string;
  role: Role;
  comuneCode: string | null;
}
