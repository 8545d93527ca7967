import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { classifyDbError, type DbErrorClassification } from '../db/errors';

/**
 * RFC 9457 problem details: every error the API returns has this shape and the
 * `application/problem+json` media type. Internal errors are answered with a generic detail;
 * their messages and stacks stay out of responses (and messages out of logs, since they may echo
 * personal data from the input).
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface ProblemFieldError {
  /** Where the problem is, e.g. a JSON path in the body (`payloads.0.data`). */
  path: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export interface ProblemErrorOptions {
  title?: string;
  detail?: string;
  errors?: ProblemFieldError[];
  type?: string;
  /** Extra members of the problem body (must not contain personal data). */
  extensions?: Record<string, unknown>;
  /** The internal error behind a 5xx: logged (class and code only), never answered. */
  cause?: unknown;
}

export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: ProblemFieldError[];
  readonly type: string;
  readonly extensions?: Record<string, unknown>;

  constructor(status: number, options: ProblemErrorOptions = {}) {
    const title = options.title ?? STATUS_CODES[status] ?? 'Error';
    super(options.detail ?? title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProblemError';
    this.status = status;
    this.title = title;
    this.detail = options.detail;
    this.errors = options.errors;
    this.type = options.type ?? 'about:blank';
    this.extensions = options.extensions;
  }

  toProblem(requestId?: string): ProblemDetails {
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail !== undefined && { detail: this.detail }),
      ...(this.errors !== undefined && { errors: this.errors }),
      ...(requestId !== undefined && { requestId }),
    };
  }
}

export function sendProblem(res: Response, problem: ProblemError): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.toProblem(requestIdOf(res))));
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ProblemError(404, { detail: `No route for ${req.method} ${req.path}` }));
};

/** Errors raised by Express's body parser carry a `type`; these are the client's fault. */
const BODY_PARSER_PROBLEMS: Record<string, (limit: unknown) => ProblemError> = {
  'entity.parse.failed': () => new ProblemError(400, { title: 'Malformed JSON', detail: 'The request body is not valid JSON' }),
  'entity.too.large': (limit) =>
    new ProblemError(413, { title: 'Payload Too Large', detail: `The request body exceeds the limit of ${String(limit)} bytes` }),
  'encoding.unsupported': () => new ProblemError(415, { detail: 'Unsupported content encoding' }),
  'charset.unsupported': () => new ProblemError(415, { detail: 'Unsupported charset' }),
  'encoding.invalid': () =>
    new ProblemError(400, {
      title: 'Malformed Body',
      detail: 'Il corpo della richiesta non è UTF-8 valido',
      errors: [{ path: '(body)', message: 'sequenza UTF-8 non valida' }],
      extensions: { code: 'INVALID_UTF8' },
    }),
  'request.aborted': () => new ProblemError(400, { detail: 'The request was aborted' }),
  'request.size.invalid': () => new ProblemError(400, { detail: 'The request body size does not match Content-Length' }),
};

/** What each class of database error answers; every answer says that nothing was stored. */
const DATABASE_PROBLEMS: Partial<Record<DbErrorClassification['kind'], { status: number; title: string; detail: string; code: string }>> = {
  unavailable: {
    status: 503,
    title: 'Database Unavailable',
    detail: 'Database non raggiungibile: nessuna modifica registrata, riprovare',
    code: 'DATABASE_UNAVAILABLE',
  },
  transient: {
    status: 503,
    title: 'Database Busy',
    detail: 'Database momentaneamente occupato: nessuna modifica registrata, riprovare',
    code: 'DATABASE_BUSY',
  },
  data: {
    status: 422,
    title: 'Validation Failed',
    detail: 'Un valore inviato non è accettato dal database: nessuna modifica registrata',
    code: 'DATA_REJECTED',
  },
  constraint: {
    status: 409,
    title: 'Conflict',
    detail: 'La modifica è in conflitto con dati già registrati: nessuna modifica registrata',
    code: 'DATABASE_CONFLICT',
  },
};

/**
 * Database errors the API can answer honestly: in each case the request's transaction did not
 * commit. (What an error after a workflow update means is the caller's business: see the routes.)
 */
export function databaseProblem(err: unknown, c: DbErrorClassification = classifyDbError(err)): ProblemError | undefined {
  if (!c.database) return undefined;
  const answer = DATABASE_PROBLEMS[c.kind];
  if (answer === undefined) return undefined;
  return new ProblemError(answer.status, {
    title: answer.title,
    detail: answer.detail,
    extensions: { code: answer.code },
    cause: err,
  });
}

export function toProblemError(err: unknown): ProblemError | undefined {
  if (err instanceof ProblemError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, limit, status } = err as { type?: unknown; limit?: unknown; status?: unknown };
  if (typeof type === 'string' && type in BODY_PARSER_PROBLEMS) return BODY_PARSER_PROBLEMS[type]?.(limit);
  // A path segment that is not valid percent-encoding (Express's router: URIError, status 400).
  if (err instanceof URIError) {
    return new ProblemError(400, { title: 'Bad Request', detail: 'Percorso non valido: codifica URL errata', extensions: { code: 'MALFORMED_URL' } });
  }
  const db = databaseProblem(err);
  if (db) return db;
  // Other http-errors raised by Express itself (e.g. a malformed URI) with a client status.
  if (typeof status === 'number' && status >= 400 && status < 500 && (err as { expose?: unknown }).expose === true) {
    return new ProblemError(status);
  }
  return undefined;
}

/** Final error handler: problem+json for everything, a log line for unexpected errors. */
export const problemErrorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  let problem = toProblemError(err);
  if (problem === undefined) {
    req.log?.error({ err: loggableError(err) }, 'unexpected error');
    problem = new ProblemError(500, { detail: 'An unexpected error occurred. Quote the request id when reporting it.' });
  } else if (problem.cause !== undefined) {
    const level = problem.status >= 500 ? 'error' : 'warn';
    req.log?.[level]({ err: loggableError(problem.cause), status: problem.status }, 'database error');
  }
  sendProblem(res, problem);
};

/**
 * What of an internal error may be logged: its class, code and stack frames, not its message
 * (database and validation messages can quote the values that caused them).
 */
const LOGGABLE = Symbol('loggableError');

export function loggableError(err: unknown): Record<string, unknown> {
  // Idempotent: loggers also run it as their `err` serializer over what callers already made loggable.
  if (isLoggable(err)) return err;
  const db = classifyDbError(err);
  const out: Record<string, unknown> = { type: db.errorClass };
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code ?? (err as { errorCode?: unknown }).errorCode;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
  }
  if (db.database) {
    // Class and code of the database error, e.g. { kind: 'unavailable', code: 'DatabaseNotReachable' } or a SQLSTATE.
    out.db = { kind: db.kind, ...(db.code !== undefined && { code: db.code }) };
    if (out.code === undefined && db.code !== undefined) out.code = db.code;
  }
  if (err instanceof Error) {
    out.stack = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.trim());
  }
  Object.defineProperty(out, LOGGABLE, { value: true, enumerable: false });
  return out;
}

function isLoggable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[LOGGABLE] === true;
}

function requestIdOf(res: Response): string | undefined {
  const id = res.req?.id;
  return typeof id === 'string' ? id : undefined;
}
