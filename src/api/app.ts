import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import type { Keyring } from '../temporal/keyring';
import type { CaseActorVerifier } from './auth/tokens';
import { bearerRoleOrLoopback, createCodecRouter, denyAll, loopbackOnly, type AuthorizeHook } from './codec-router';
import { createHealthRouter, type HealthChecks } from './health';
import { httpLogger, requestId } from './logger';
import type { ServiceMetrics } from './metrics';
import { notFoundHandler, problemErrorHandler } from './problem';
import { securityHeaders } from './security-headers';

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  health: HealthChecks;
  /** Mounts the remote codec endpoint at `/codec` (Temporal UI setting: `http://<api>/codec`). */
  codec?: {
    keyring: Keyring;
    /**
     * Who may call it. Default with `verifier`: a coordinator's or admin's Bearer token, plus
     * loopback callers outside production. Without a verifier: loopback-only outside production,
     * nobody in production.
     */
    authorize?: AuthorizeHook;
    verifier?: CaseActorVerifier;
  };
  /** Adds the feature routes; called after the base middleware and before the 404/error handlers. */
  mount?: (app: Express) => void;
  /** `GET /metrics` and the latency histograms (src/api/metrics.ts). */
  metrics?: ServiceMetrics;
  /** Tracing of each request (src/telemetry/tracing.ts), when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing?: RequestHandler;
  /** Readiness time box per check, ms (default 2000). */
  readinessTimeoutMs?: number;
}

export const CODEC_MOUNT_PATH = '/codec';

/** body-parser `verify`: a UTF-8 body (the default charset) must be valid UTF-8. */
function requireUtf8(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  const charset = /charset=["']?([^;"'\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  if ((charset === 'utf-8' || charset === 'utf8') && !isUtf8(buf)) {
    throw Object.assign(new Error('invalid UTF-8'), { type: 'encoding.invalid' });
  }
}

export function createApp(deps: AppDeps): Express {
  const { config, logger, health, codec, mount } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Answers are `no-store`: an ETag (a hash of every JSON body) would never be used.
  app.set('etag', false);
  // No `trust proxy`: the codec's loopback check must see the real peer, not X-Forwarded-For.
  app.set('trust proxy', false);

  app.use(requestId);
  if (deps.tracing) app.use(deps.tracing);
  if (deps.metrics) app.use(deps.metrics.middleware);
  app.use(httpLogger(logger));
  app.use(securityHeaders());
  app.use((_req, res, next) => {
    // Answers may hold case data: nothing is cached by browsers or proxies.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Only JSON media types are parsed, so a cross-site "simple" (text/plain) POST never gets a body.
  // Invalid UTF-8 (overlong forms, stray bytes) is refused rather than silently turned into U+FFFD.
  app.use(express.json({ limit: config.api.bodyLimit, type: ['application/json', 'application/*+json'], verify: requireUtf8 }));

  if (deps.metrics) app.use(deps.metrics.router);
  app.use(createHealthRouter(health, { timeoutMs: deps.readinessTimeoutMs, logger }));
  if (codec !== undefined) {
    const production = config.env === 'production';
    const authorize =
      codec.authorize ??
      (codec.verifier ? bearerRoleOrLoopback(codec.verifier, { allowLoopback: !production }) : production ? denyAll : loopbackOnly);
    app.use(CODEC_MOUNT_PATH, createCodecRouter({ keyring: codec.keyring, corsOrigins: config.codec.corsOrigins, authorize }));
  }
  mount?.(app);

  app.use(notFoundHandler);
  app.use(problemErrorHandler);
  return app;
}
