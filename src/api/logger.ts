import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { loggableError } from './problem';

/**
 * Structured JSON logs. An access log line holds the request id, method, path (never the query
 * string), status and duration: no bodies, no headers (so no tokens or cookies), no client
 * address. Logs must not carry personal data (names, addresses, free text, form contents).
 */

export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export interface LoggerOptions {
  level: string;
  /** Where to write; stdout when omitted. Tests pass a stream to inspect the lines. */
  destination?: DestinationStream;
}

export function createLogger({ level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service: 'pis-api' },
      // A second line of defence for objects that other code might log by mistake.
      redact: {
        paths: ['authorization', 'cookie', 'password', 'token', '*.authorization', '*.cookie', '*.password', '*.token', '*.headers'],
        censor: '[redacted]',
      },
      serializers: { err: loggableError },
    },
    destination,
  );
}

/**
 * Accepts the caller's `X-Request-Id` when it looks like an id (so it can be correlated with the
 * caller's logs), otherwise generates one; echoes it back in the response.
 */
export const requestId: RequestHandler = (req, res, next) => {
  const offered = req.get(REQUEST_ID_HEADER);
  req.id = offered !== undefined && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, req.id);
  next();
};

export function httpLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req) => req.id ?? randomUUID(),
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        path: (req.originalUrl ?? req.url ?? '').split('?')[0],
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: loggableError,
    },
    customLogLevel: (_req, res, err) => (err !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Liveness probes hit every few seconds and say nothing useful.
    autoLogging: { ignore: (req) => req.url === '/health' },
  });
}
