import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '../../../src/api/auth/passwords';
import { forms } from '../../../scripts/lib/case-driver';
import { type Answer, call, field, is2xx } from './http';
import type { Effects, Kind } from './effects';
import { sleep } from './processes';

/**
 * Bounded load: a few virtual operators, each taking cases from intake through take charge and
 * risk check. Every mutating request carries its own Idempotency-Key; on a network error or a
 * non-final answer it is sent again with the same key (bounded backoff). Every attempt is kept.
 * After an attempt answered with an error, the operator first looks (PostgreSQL, the workflow)
 * whether the change was applied anyway: that is a false failure.
 */

export interface Attempt extends Answer {
  /** After an error answer: was the change there anyway (probe before the retry)? */
  effectPresent?: boolean;
}

export interface Pending {
  requestId?: string;
  pollUrl?: string;
  /** Final outcome reported by the poll URL; 'no-poll-url' when the 202 named none. */
  resolved?: 'succeeded' | 'failed' | 'unresolved' | 'no-poll-url';
  status?: number;
  body?: unknown;
}

export interface Op {
  id: number;
  operator: number;
  kind: Kind;
  key: string;
  method: 'POST';
  path: string;
  payload?: unknown;
  userId: string;
  reportNumber?: string;
  caseId?: string;
  taskId?: string;
  attempts: Attempt[];
  final?: 'ok' | 'accepted' | 'rejected';
  pending?: Pending;
  /** A second send with the same key after the answer (a sample), and what it answered. */
  replay?: { status?: number; error?: string; consistent: boolean };
  /** Not part of the load: the claims of the frozen-case check. */
  check?: boolean;
  /**
   * The change was already there before the first attempt (a task the workflow created already
   * assigned to this operator): the request cannot be told to have applied it or not.
   */
  preApplied?: boolean;
}

export interface LoadOptions {
  operators: number;
  /**
   * Intake desks besides the operators: they only report new cases (so intake meets every outage)
   * and never retry: a person who gives up after an error. What such an error left behind
   * (a case row without its workflow) shows then, not repaired by a retry.
   */
  intakeDesks: number;
  maxCasesPerOperator: number;
  thinkMs: number;
  attemptTimeoutMs: number;
  retryBudgetMs: number;
  /** Every n-th successful request is sent once more with the same key. */
  replayEvery: number;
  tag: string;
}

export const DEFAULT_LOAD: Omit<LoadOptions, 'tag'> = {
  operators: 4,
  intakeDesks: 1,
  maxCasesPerOperator: 25,
  thinkMs: 250,
  attemptTimeoutMs: 45_000,
  retryBudgetMs: 150_000,
  replayEvery: 3,
};

const PASSWORD = 'fault-suite-password-1';
export const intakeUser = { id: 'u-fault-intake', username: 'fault.intake', role: 'intake_operator' };
export const operatorUser = (i: number) => ({ id: `u-fault-op-${i}`, username: `fault.op${i}`, role: 'emergency_operator' });

/** The users of the load, inserted with the project's own password hashing. */
export async function ensureUsers(effects: Effects, operators: number): Promise<void> {
  const hash = await hashPassword(PASSWORD);
  for (const u of [intakeUser, ...Array.from({ length: operators }, (_, i) => operatorUser(i))]) {
    const rows = await effects.sql(
      'INSERT INTO "User" (id, username, "displayName", "passwordHash", role, active, "createdAt") VALUES ($1, $2, $3, $4, $5, true, now()) ON CONFLICT DO NOTHING RETURNING id',
      [u.id, u.username, `Fault suite ${u.username}`, hash, u.role],
    );
    if (rows === undefined) throw new Error('cannot insert the fault-suite users');
    // The load reports and works in the Rhodense (Lainate): users see only the cases of their Ambiti.
    const ambito = await effects.sql('INSERT INTO "UserAmbito" ("userId", "ambitoId") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "userId"', [u.id, 'rhodense']);
    if (ambito === undefined) throw new Error('cannot give the fault-suite users their Ambito');
  }
}

/** The most recent Sunday, 02:00 in Rome, at least a day ago: offices closed, so in scope. */
export function lastSundayNight(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 1, 0, 0));
  d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() !== 0) d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString();
}

export function intakePayload(reportNumber: string): Record<string, unknown> {
  return {
    reportingForce: 'carabinieri',
    officerName: 'Brig. Guasti',
    callbackNumber: '+39 02 0000000',
    reportNumber,
    reportedAt: lastSundayNight(),
    eventComuneCode: '015116',
    eventAddress: 'Via di Prova 1',
    categories: ['homeless'],
    people: [{ role: 'subject', firstName: 'Persona', lastName: 'Di Prova', birthYear: 1960, isMinor: false }],
    immediateDangers: ['cold_exposure'],
    narrative: 'Caso sintetico della suite dei guasti.',
  };
}

export interface LoadCase {
  operator: number;
  reportNumber: string;
  caseId?: string;
  /** Why the operator stopped working this case before its risk check, if it did. */
  abandoned?: string;
}

export class Load {
  ops: Op[] = [];
  cases: LoadCase[] = [];
  private stopRequested = false;
  private tokens = new Map<string, string>();
  private nextId = 1;

  constructor(
    private readonly apiUrl: string,
    private readonly effects: Effects,
    readonly options: LoadOptions,
  ) {}

  /** Operators finish the case in hand and stop. */
  stop(): void {
    this.stopRequested = true;
  }

  async run(): Promise<void> {
    const desks = Array.from({ length: this.options.intakeDesks }, (_, i) => this.intakeDesk(this.options.operators + i));
    await Promise.all([...Array.from({ length: this.options.operators }, (_, i) => this.operator(i)), ...desks]);
  }

  private async intakeDesk(i: number): Promise<void> {
    for (let n = 0; n < this.options.maxCasesPerOperator && !this.stopRequested; n += 1) {
      const reportNumber = `${this.options.tag}-${i}-${n}-${randomBytes(3).toString('hex')}`;
      const lc: LoadCase = { operator: i, reportNumber };
      this.cases.push(lc);
      const create = await this.execute(
        { operator: i, kind: 'create', path: '/api/cases', payload: intakePayload(reportNumber), userId: intakeUser.id, reportNumber },
        intakeUser.username,
        0,
      );
      lc.caseId = create.caseId;
      if (create.final === 'rejected') lc.abandoned = `desk gave up: create ${describeFinal(create)}`;
      await sleep(1_000);
    }
  }

  private async operator(i: number): Promise<void> {
    const op = operatorUser(i);
    for (let n = 0; n < this.options.maxCasesPerOperator && !this.stopRequested; n += 1) {
      const reportNumber = `${this.options.tag}-${i}-${n}-${randomBytes(3).toString('hex')}`;
      const lc: LoadCase = { operator: i, reportNumber };
      this.cases.push(lc);
      const create = await this.execute({ operator: i, kind: 'create', path: '/api/cases', payload: intakePayload(reportNumber), userId: intakeUser.id, reportNumber }, intakeUser.username);
      lc.caseId = create.caseId;
      if (!(await this.goOn(create))) {
        lc.abandoned = `create ${describeFinal(create)}`;
        continue;
      }
      const caseId = create.caseId!;
      const steps: Array<[number, unknown]> = [
        [1, forms.takeCharge],
        [2, forms.riskCheck()],
      ];
      for (const [t, form] of steps) {
        const taskId = `${caseId}-t${t}`;
        if (!(await this.waitTaskVisible(taskId, op.username, 60_000))) {
          lc.abandoned = `${taskId} never visible`;
          break;
        }
        const base = { operator: i, userId: op.id, caseId, taskId };
        const claim = await this.execute({ ...base, kind: 'claim', path: `/api/tasks/${taskId}/claim` }, op.username);
        if (!(await this.goOn(claim))) {
          lc.abandoned = `claim ${taskId} ${describeFinal(claim)}`;
          break;
        }
        const complete = await this.execute({ ...base, kind: 'complete', path: `/api/tasks/${taskId}/complete`, payload: { form } }, op.username);
        if (!(await this.goOn(complete))) {
          lc.abandoned = `complete ${taskId} ${describeFinal(complete)}`;
          break;
        }
      }
      await sleep(this.options.thinkMs);
    }
  }

  /** Continue the case when the request succeeded, or when its change is there after all. */
  private async goOn(op: Op): Promise<boolean> {
    if (op.final === 'ok') return op.kind !== 'create' || op.caseId !== undefined;
    if (op.final === 'accepted' && op.pending?.resolved !== 'failed' && op.pending?.resolved !== 'unresolved') {
      if (op.kind === 'create') op.caseId ??= (await this.effects.caseIdForReport(op.reportNumber ?? '')) ?? undefined;
      return op.kind !== 'create' || op.caseId !== undefined;
    }
    const present = await this.effects.waitPresent(op, 60_000);
    if (present && op.kind === 'create') op.caseId ??= (await this.effects.caseIdForReport(op.reportNumber ?? '')) ?? undefined;
    return present === true && (op.kind !== 'create' || op.caseId !== undefined);
  }

  async token(username: string): Promise<string | undefined> {
    const known = this.tokens.get(username);
    if (known) return known;
    const a = await call(this.apiUrl, 'POST', '/api/auth/login', { body: { username, password: PASSWORD }, timeoutMs: 10_000 });
    const token = field(a.body, 'token');
    if (typeof token !== 'string') return undefined;
    this.tokens.set(username, token);
    return token;
  }

  private async waitTaskVisible(taskId: string, username: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const token = await this.token(username);
      if (token) {
        const a = await call(this.apiUrl, 'GET', `/api/tasks/${taskId}`, { token, timeoutMs: 10_000 });
        if (a.status === 200) return true;
        if (a.status === 401) this.tokens.delete(username);
      }
      await sleep(300);
    }
    return false;
  }

  /**
   * One logical request: attempts with the same key until a final answer or the budget is spent
   * (budget 0: one attempt, no retry).
   */
  async execute(spec: Omit<Op, 'id' | 'key' | 'method' | 'attempts'>, username: string, budgetMs = this.options.retryBudgetMs): Promise<Op> {
    const op: Op = { ...spec, id: this.nextId++, key: randomUUID(), method: 'POST', attempts: [] };
    this.ops.push(op);
    if (op.kind === 'claim') op.preApplied = (await this.effects.claimedInReadModel(op.taskId ?? '', op.userId)) || (await this.effects.present(op)) === true;
    const deadline = Date.now() + budgetMs;
    let backoff = 500;
    for (;;) {
      const token = await this.token(username);
      const a: Attempt = token
        ? await call(this.apiUrl, 'POST', op.path, { token, key: op.key, body: op.payload, timeoutMs: this.options.attemptTimeoutMs })
        : { error: 'login failed', startedAt: Date.now(), endedAt: Date.now() };
      if (token) op.attempts.push(a);
      if (a.status === 202) {
        op.final = 'accepted';
        op.pending = await this.resolvePending(a.body, username);
        if (op.kind === 'create') op.caseId = asString(field(a.body, 'caseId')) ?? asString(field(op.pending.body, 'caseId'));
        break;
      }
      if (is2xx(a.status)) {
        op.final = 'ok';
        if (op.kind === 'create') op.caseId = asString(field(a.body, 'caseId'));
        break;
      }
      if (a.status === 401) this.tokens.delete(username);
      const retryable =
        a.error !== undefined || a.status === 401 || a.status === 408 || a.status === 429 || (a.status ?? 0) >= 500 || (a.status === 404 && op.kind !== 'create');
      if (!retryable) {
        op.final = 'rejected';
        break;
      }
      // The answer said "not done": before retrying, look whether it was done all the same.
      // (A refused connection never reached the server; a 404 here means "task not in the read model yet".)
      if (token && !op.preApplied && a.error !== 'ECONNREFUSED' && a.status !== 404 && a.status !== 429 && a.status !== 401) {
        a.effectPresent = await this.effects.waitPresent(op, 120_000);
      }
      if (budgetMs === 0 || Date.now() > deadline) {
        op.final = 'rejected';
        break;
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 4_000);
    }
    if (!op.check && op.final !== 'rejected' && op.id % this.options.replayEvery === 0) await this.replay(op, username);
    return op;
  }

  /** The same request, same key, once more: it must answer the same result. */
  private async replay(op: Op, username: string): Promise<void> {
    const token = await this.token(username);
    if (!token) return;
    let a = await call(this.apiUrl, 'POST', op.path, { token, key: op.key, body: op.payload, timeoutMs: this.options.attemptTimeoutMs });
    // A transient answer (503, no connection) is not a result: retry it, same key, for up to a minute.
    for (let i = 0; i < 30 && (a.error !== undefined || (a.status ?? 0) >= 500); i += 1) {
      await sleep(2_000);
      a = await call(this.apiUrl, 'POST', op.path, { token, key: op.key, body: op.payload, timeoutMs: this.options.attemptTimeoutMs });
    }
    let body = a.body;
    if (a.status === 202) body = (await this.resolvePending(a.body, username)).body;
    op.replay = { status: a.status, error: a.error, consistent: is2xx(a.status) && sameResult(op, body) };
  }

  /**
   * A 202 resolves through its poll URL, which answers 202 while pending and then exactly what the
   * action would have answered (2xx: done; 4xx: refused). An intake 202 names no poll URL: it
   * resolves when the case's workflow exists (started by the worker's reconciler).
   */
  private async resolvePending(body: unknown, username: string): Promise<Pending> {
    const requestId = asString(field(body, 'requestId'));
    const pollUrl = asString(field(body, 'pollUrl')) ?? (requestId ? `/api/requests/${requestId}` : undefined);
    const deadline = Date.now() + 180_000;
    if (!pollUrl) {
      const caseId = asString(field(body, 'caseId'));
      if (!caseId) return { requestId, resolved: 'no-poll-url', body };
      while (Date.now() < deadline) {
        const state = await this.effects.describe(caseId);
        if (state === 'running' || state === 'closed') return { requestId, resolved: 'succeeded', status: 201, body };
        await sleep(2_000);
      }
      return { requestId, resolved: 'unresolved', body };
    }
    const path = pollUrl.replace(/^https?:\/\/[^/]+/, '');
    while (Date.now() < deadline) {
      const token = await this.token(username);
      const a = token ? await call(this.apiUrl, 'GET', path, { token, timeoutMs: 10_000 }) : undefined;
      if (a?.status !== undefined && a.status !== 202 && a.status < 500 && a.status !== 401) {
        return { requestId, pollUrl, resolved: is2xx(a.status) ? 'succeeded' : 'failed', status: a.status, body: a.body };
      }
      if (a?.status === 401) this.tokens.delete(username);
      await sleep(1_000);
    }
    return { requestId, pollUrl, resolved: 'unresolved' };
  }
}

/** Same result: the same case; the task in the same or a later state. */
export function sameResult(op: Op, body: unknown): boolean {
  const first = op.final === 'accepted' ? op.pending?.body : op.attempts[op.attempts.length - 1]?.body;
  const caseId = asString(field(body, 'caseId'));
  if (op.kind === 'create') return caseId !== undefined && caseId === (asString(field(first, 'caseId')) ?? op.caseId);
  const tasks = field(body, 'tasks');
  const task = Array.isArray(tasks) ? (tasks as Array<{ id?: string; status?: string }>).find((t) => t.id === op.taskId) : undefined;
  if (!task) return false;
  return op.kind === 'complete' ? task.status === 'completed' : task.status === 'claimed' || task.status === 'completed';
}

export function describeFinal(op: Op): string {
  const last = op.attempts[op.attempts.length - 1];
  return `${op.final ?? '?'} (${last?.status ?? last?.error ?? 'no attempt'})`;
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
