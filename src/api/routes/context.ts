import type { Client, Connection } from '@temporalio/client';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AppConfig } from '../../config';
import type { PrismaClient } from '../../generated/prisma/client';
import type { SupervisionSettings } from '../../supervision/settings';
import type { Actor } from '../../domain';
import type { ProtocolSettings } from '../../workflows/definitions';
import { type TokenService, type TokenVerifier, InvalidTokenError } from '../auth';
import { outcomeForStatus, recordAudit, recordAuditQuietly } from '../audit';
import { type Action, can, forbidden } from '../authorization';
import { ProblemError, toProblemError } from '../problem';
import { temporalProblem } from '../temporal-errors';
import { type ActionDeps, type ActionOutcome, pendingBody, pollUrl } from '../action-requests';
import { idempotencyKeyHeader } from './schemas';

export interface ApiDeps {
  prisma: PrismaClient;
  temporal: { client: Client; taskQueue: string; namespace: string; connection: Connection };
  /**
   * Token verification (and, for the built-in issuer, login). An external identity provider
   * (OIDC) plugs in as a plain `TokenVerifier`: `/api/auth/login` is then not mounted.
   */
  auth: TokenService | TokenVerifier;
  logger: Logger;
  config: AppConfig;
  /** Supervision thresholds (minutes); defaults in src/supervision/settings.ts. */
  supervision?: Partial<SupervisionSettings>;
  /**
   * Knobs for tests and benchmarks only; the entry points never set them and nothing in the
   * public API can reach them.
   */
  testing?: {
    protocolOverrides?: Partial<ProtocolSettings>;
    /** Failed logins per client address and window (default 100 per 15 min, src/api/routes/auth.ts). */
    loginRateLimit?: { windowMs: number; limit: number };
    /** Deadline of one workflow update/query call, ms (default 30 s). */
    workflowCallTimeoutMs?: number;
    /** Overrides API_ACTION_WAIT_MS (how long an action waits before answering 202). */
    actionWaitMs?: number;
  };
}

export interface RequestContext {
  actor: Actor;
  requestId?: string;
  /** Set by a handler once it knows which case it touches: recorded in the audit event. */
  caseId?: string;
  /**
   * Set by a handler that wrote its success audit row itself, inside the transaction of the
   * change it records (case intake); the endpoint then does not write a second one.
   */
  audited?: boolean;
}

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Bytes sent as they are (e.g. a PDF) instead of `body` as JSON. */
  raw?: { contentType: string; data: Buffer };
}

export type EndpointHandler = (req: Request, ctx: RequestContext) => Promise<Reply>;

const BEARER = /^Bearer ([^\s]+)$/;

export function issuesTokens(auth: TokenService | TokenVerifier): auth is TokenService {
  return 'login' in auth && 'issue' in auth && 'revoke' in auth;
}

/** The bearer token of an authenticated request (for logout). */
export function tokenOf(res: Response): string {
  const token = (res.locals as { token?: string }).token;
  if (token === undefined) throw new ProblemError(401, { detail: 'Autenticazione richiesta' });
  return token;
}

export function actorOf(res: Response): Actor {
  const actor = (res.locals as { actor?: Actor }).actor;
  if (actor === undefined) throw new ProblemError(401, { detail: 'Autenticazione richiesta' });
  return actor;
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError(401, { detail, extensions: { code: 'UNAUTHENTICATED' } });
}

/** Requires a valid bearer token; puts its Actor in `res.locals.actor`. */
export function authenticate(deps: ApiDeps): RequestHandler {
  return async (req, res, next) => {
    res.setHeader('WWW-Authenticate', 'Bearer realm="pis"');
    const header = req.get('authorization');
    if (header === undefined) return next(unauthorized('Autenticazione richiesta (Authorization: Bearer <token>)'));
    const match = BEARER.exec(header);
    if (!match?.[1]) return next(unauthorized('Intestazione Authorization non valida'));
    try {
      (res.locals as { actor?: Actor }).actor = await deps.auth.verify(match[1]);
      (res.locals as { token?: string }).token = match[1];
      res.removeHeader('WWW-Authenticate');
      next();
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        const detail = { expired: 'Token scaduto', revoked: 'Sessione terminata o revocata: accedere di nuovo', malformed: 'Token non valido', invalid: 'Token non valido' }[err.reason];
        return next(unauthorized(detail));
      }
      next(err);
    }
  };
}

/**
 * One endpoint: role check from the matrix, the handler, the audit event (always, also for
 * denials and failures), errors as problem details.
 */
export function endpoint(deps: ApiDeps, action: Action, handler: EndpointHandler): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    let ctx: RequestContext | undefined;
    let applied = false;
    try {
      ctx = { actor: actorOf(res), requestId: typeof req.id === 'string' ? req.id : undefined };
      if (!can(ctx.actor, action)) throw forbidden();
      const reply = await handler(req, ctx);
      applied = true;
      const entry = { actor: ctx.actor, action, caseId: ctx.caseId, outcome: outcomeForStatus(reply.status ?? 200), requestId: ctx.requestId };
      // A 202 is an action still under way whose definitive audit row the workflow writes with the
      // change: a database too busy for this interim row must not turn "accepted" into an error.
      if (!ctx.audited) {
        if (reply.status === 202) await recordAuditQuietly(deps.prisma, entry, req.log ?? deps.logger);
        else await recordAudit(deps.prisma, entry);
      }
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.raw !== undefined) res.status(reply.status ?? 200).type(reply.raw.contentType).send(reply.raw.data);
      else res.status(reply.status ?? 200).json(reply.body);
    } catch (err) {
      let problem = temporalProblem(err) ?? toProblemError(err);
      const code = problem?.extensions?.code;
      if (applied && typeof code === 'string' && code.startsWith('DATABASE_')) {
        // The action itself went through; only its audit row could not be written. Say so.
        problem = new ProblemError(503, {
          title: 'Audit Not Recorded',
          detail: 'Azione eseguita, ma il database non ha registrato l’audit: non ripetere l’azione, verificare il caso',
          extensions: { code: 'AUDIT_NOT_RECORDED' },
          cause: err,
        });
      }
      if (ctx !== undefined) {
        await recordAuditQuietly(
          deps.prisma,
          { actor: ctx.actor, action, caseId: ctx.caseId, outcome: outcomeForStatus(problem?.status ?? 500), requestId: ctx.requestId },
          req.log ?? deps.logger,
        );
      }
      next(problem ?? err);
    }
  };
}

function issuesOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** A JSON object body validated by `schema`: 400 when it is not an object, 422 with issues otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProblemError(400, { title: 'Bad Request', detail: 'Il corpo della richiesta deve essere un oggetto JSON (Content-Type: application/json)' });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ProblemError(422, { title: 'Validation Failed', detail: 'Dati non validi', errors: issuesOf(parsed.error) });
  }
  return parsed.data;
}

/** Query string parameters validated by `schema` (400 with issues). */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) {
    throw new ProblemError(400, { title: 'Bad Request', detail: 'Parametri di ricerca non validi', errors: issuesOf(parsed.error) });
  }
  return parsed.data;
}

export function notFound(what: 'case' | 'task'): ProblemError {
  return new ProblemError(404, { detail: what === 'case' ? 'Caso non trovato' : 'Attività non trovata' });
}

/** Wraps a workflow call in a deadline, so a case without a worker answers 503 instead of hanging. */
export function withWorkflowDeadline<T>(deps: ApiDeps, fn: () => Promise<T>, timeoutMs?: number): Promise<T> {
  const ms = timeoutMs ?? deps.testing?.workflowCallTimeoutMs ?? 30_000;
  return deps.temporal.connection.withDeadline(Date.now() + ms, fn);
}

/** The request's Idempotency-Key (validated; 400 naming the header), or undefined when absent. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  const key = idempotencyKeyHeader.safeParse(raw);
  if (!key.success) {
    throw new ProblemError(400, {
      detail: 'Intestazione Idempotency-Key non valida',
      errors: [{ path: 'Idempotency-Key', message: key.error.issues[0]?.message ?? 'non valida' }],
    });
  }
  return key.data;
}

export function actionDeps(deps: ApiDeps, ensureStarted?: ActionDeps['ensureStarted']): ActionDeps {
  return {
    prisma: deps.prisma,
    client: deps.temporal.client,
    logger: deps.logger,
    waitMs: deps.testing?.actionWaitMs ?? deps.config.api.actionWaitMs,
    ensureStarted,
  };
}

/**
 * 200 with the result, or 202 with where to find it. A workflow action's success audit row is
 * written by the workflow's persistence activity in the transaction that stores the change
 * (once, keyed by its timeline entry), so the endpoint does not write a second one; pass no
 * context where the endpoint's own row is wanted (reading a request's outcome).
 */
export function actionReply(outcome: ActionOutcome, ctx?: RequestContext): Reply {
  if (outcome.kind === 'done') {
    if (ctx !== undefined && outcome.status < 300) ctx.audited = true;
    return { status: outcome.status, body: outcome.body };
  }
  return { status: 202, body: pendingBody(outcome.requestId), headers: { Location: pollUrl(outcome.requestId), 'Retry-After': '2' } };
}
