import { isIP } from 'node:net';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { AesGcmPayloadCodec, PayloadCodecError } from '../temporal/codec';
import type { Keyring } from '../temporal/keyring';
import type { Role } from '../domain';
import type { CaseActorVerifier } from './auth/tokens';
import { ProblemError } from './problem';

/**
 * Remote codec endpoint for the Temporal UI and CLI (the codec server protocol):
 * `POST /encode` and `POST /decode` (also under `/<namespace>/...`, as the CLI's endpoint
 * templating produces), body and answer `{ payloads: [...] }` in proto3 JSON (bytes as base64).
 * The UI sends `X-Namespace` and, when configured to, `Authorization: Bearer <token>`.
 *
 * Anyone who may call this endpoint can read (and forge) every case payload, so each call goes
 * through `authorize`: `bearerRoleOrLoopback` in the app (a coordinator's or admin's token; plus
 * callers on this machine in development only). A hook answers false for 403; to answer 401 it
 * throws `new ProblemError(401)`.
 */

export type AuthorizeHook = (req: Request) => boolean | Promise<boolean>;

export interface CodecRouterOptions {
  keyring: Keyring;
  /** Origins allowed to call from a browser (the Temporal UI), e.g. `http://localhost:8233`. */
  corsOrigins: readonly string[];
  authorize: AuthorizeHook;
}

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';
const NAMESPACE_PATTERN = /^[A-Za-z0-9._-]{1,255}$/;
const ProtoPayload = temporal.api.common.v1.Payload;

// proto3 JSON bytes: standard or URL-safe base64, padding optional.
const base64Bytes = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const payloadsBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64Bytes).optional(),
      data: base64Bytes.optional(),
      externalPayloads: z.array(z.record(z.string(), z.unknown())).optional(),
    }),
  ),
});

/** Default hook while there is no auth system: the caller's socket is on this machine. */
export const loopbackOnly: AuthorizeHook = (req) => isLoopback(req.socket.remoteAddress);

/** Roles that may read every case payload through the codec (they see every case anyway). */
export const CODEC_ROLES: readonly Role[] = ['coordinator', 'admin'];

/**
 * The codec's gate: a Bearer token verified by the API's TokenVerifier, of a coordinator or an
 * admin (the Temporal UI sends the user's token with its codec "pass access token" option). No
 * token: 401, unless `allowLoopback` (local development only: the embedded dev server's UI has no
 * login to forward) and the caller is on this machine. Invalid token: 401. Other roles: 403.
 */
export function bearerRoleOrLoopback(verifier: CaseActorVerifier, opts: { allowLoopback: boolean }): AuthorizeHook {
  return async (req) => {
    const header = req.get('Authorization');
    if (header === undefined) {
      if (opts.allowLoopback && isLoopback(req.socket.remoteAddress)) return true;
      throw new ProblemError(401, { detail: 'A bearer token of a coordinator or an admin is required' });
    }
    const match = /^Bearer ([^\s]{1,8192})$/.exec(header);
    if (!match) throw new ProblemError(401, { detail: 'The Authorization header must be "Bearer <token>"' });
    let role: Role;
    try {
      role = (await verifier.verify(match[1] as string)).role;
    } catch {
      throw new ProblemError(401, { detail: 'The token is not valid' });
    }
    return CODEC_ROLES.includes(role);
  };
}

/** For deployments with no hook configured: the endpoint exists but nobody may use it. */
export const denyAll: AuthorizeHook = () => false;

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}

export function createCodecRouter({ keyring, corsOrigins, authorize }: CodecRouterOptions): Router {
  const codec = new AesGcmPayloadCodec(keyring);
  const allowedOrigins = new Set(corsOrigins.map((origin) => origin.replace(/\/+$/, '')));
  const router = Router();

  // CORS first: preflights carry no credentials, and errors must be readable by the UI.
  router.use((req, res, next) => {
    const origin = req.get('Origin');
    if (origin !== undefined && allowedOrigins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    res.vary('Origin');
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    if (origin === undefined || !allowedOrigins.has(origin)) {
      next(new ProblemError(403, { title: 'Origin Not Allowed', detail: 'This origin may not call the codec endpoint' }));
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });

  const guard: RequestHandler = async (req, _res, next) => {
    const namespace = req.get('X-Namespace');
    if (namespace !== undefined && !NAMESPACE_PATTERN.test(namespace)) {
      throw new ProblemError(400, { detail: 'X-Namespace is not a valid namespace name' });
    }
    if (!(await authorize(req))) {
      throw new ProblemError(403, { detail: 'Not allowed to use the codec endpoint' });
    }
    next();
  };

  const convert = (direction: 'encode' | 'decode'): RequestHandler =>
    async (req, res) => {
      const payloads = parsePayloads(req.body);
      let converted: Payload[];
      try {
        converted = direction === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
      } catch (err) {
        if (err instanceof PayloadCodecError) {
          throw new ProblemError(422, { title: 'Payload Cannot Be Decoded', detail: err.message, extensions: { reason: err.reason } });
        }
        throw err;
      }
      res.json({ payloads: converted.map(toJsonPayload) });
    };

  router.post(['/encode', '/:namespace/encode'], guard, convert('encode'));
  router.post(['/decode', '/:namespace/decode'], guard, convert('decode'));
  router.all(['/encode', '/:namespace/encode', '/decode', '/:namespace/decode'], () => {
    throw new ProblemError(405, { detail: 'Use POST' });
  });
  return router;
}

function parsePayloads(body: unknown): Payload[] {
  const parsed = payloadsBody.safeParse(body);
  if (!parsed.success) {
    throw new ProblemError(400, {
      detail: 'Expected a JSON body { "payloads": [...] }',
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data.payloads.map((json, index) => {
    try {
      return ProtoPayload.fromObject(json);
    } catch {
      throw new ProblemError(400, {
        detail: 'A payload is not a valid proto3 JSON Payload',
        errors: [{ path: `payloads.${index}`, message: 'invalid payload' }],
      });
    }
  });
}

function toJsonPayload(payload: Payload): Record<string, unknown> {
  return ProtoPayload.toObject(ProtoPayload.fromObject(payload), { bytes: String });
}
