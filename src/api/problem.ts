import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

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
    super(options.detail ?? title);
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
  'request.aborted': () => new ProblemError(400, { detail: 'The request was aborted' }),
  'request.size.invalid': () => new ProblemError(400, { detail: 'The request body size does not match Content-Length' }),
};

export function toProblemError(err: unknown): ProblemError | undefined {
  if (err instanceof ProblemError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, limit, status } = err as { type?: unknown; limit?: unknown; status?: unknown };
  if (typeof type === 'string' && type in BODY_PARSER_PROBLEMS) return BODY_PARSER_PROBLEMS[type]?.(limit);
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
  }
  sendProblem(res, problem);
};

/**
 * What of an internal error may be logged: its class, code and stack frames, not its message
 * (database and validation messages can quote the values that caused them).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.trim());
  const code = (err as { code?: unknown }).code;
  return { type: err.name, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}), stack: frames };
}

function requestIdOf(res: Response): string | undefined {
  const id = res.req?.id;
  return typeof id === 'string' ? id : undefined;
}
