import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { AppConfig } from '../../config';
import { type Actor, ROLES } from '../../workflows/definitions';

/**
 * Bearer tokens. The API depends only on `TokenVerifier` (token ⇒ Actor), so an OIDC provider can
 * replace the built-in issuer: map its claims to an Actor and pass that verifier instead.
 */

export interface TokenVerifier {
  /** The actor of a valid token; throws `InvalidTokenError` otherwise. */
  verify(token: string): Promise<Actor>;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export interface TokenIssuer {
  issue(actor: Actor): Promise<IssuedToken>;
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'malformed' | 'expired' | 'invalid') {
    super(`token ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

const ISSUER = 'pis-api';
const AUDIENCE = 'pis-api';
const ALGORITHM = 'HS256';
/** A compact JWS: three base64url parts. Anything else is rejected before any crypto. */
const COMPACT_JWS = /^[A-Za-z0-9_-]{10,2048}\.[A-Za-z0-9_-]{10,4096}\.[A-Za-z0-9_-]{20,512}$/;

const claimsSchema = z.object({
  sub: z.string().min(1).max(64),
  exp: z.number().int(),
  role: z.enum(ROLES),
  comune: z.string().regex(/^\d{6}$/).optional(),
});

/** How many verified tokens are remembered (a few per user and shift is plenty). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * HS256 tokens signed with a shared secret (AUTH_TOKEN_SECRET, or a local generated one).
 * A token already verified is remembered until its expiry, so the signature and claims are checked
 * once per token rather than once per request; an expired one is verified (and refused) again.
 */
export class HmacTokenService implements TokenVerifier, TokenIssuer {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { actor: Actor; expiresAtMs: number }>();

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    if (secret.length < 32) throw new Error('token secret must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  async issue(actor: Actor): Promise<IssuedToken> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.ttlSeconds;
    const token = await new SignJWT({ role: actor.role, ...(actor.comuneCode !== undefined && { comune: actor.comuneCode }) })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(actor.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<Actor> {
    const known = this.verified.get(token);
    if (known !== undefined && known.expiresAtMs > Date.now()) return { ...known.actor };
    this.verified.delete(token);
    if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('expired');
      throw new InvalidTokenError('invalid');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new InvalidTokenError('invalid');
    const { sub, role, comune, exp } = claims.data;
    if (role === 'social_worker' && comune === undefined) throw new InvalidTokenError('invalid');
    const actor: Actor = { userId: sub, role, ...(comune !== undefined && { comuneCode: comune }) };
    // Oldest first out: a Map iterates in insertion order.
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { actor: { ...actor }, expiresAtMs: exp * 1000 });
    return actor;
  }
}

const SECRET_FILE = 'auth-token-secret';

/**
 * The signing secret: AUTH_TOKEN_SECRET when set (required in production), else a random one
 * generated once and kept under the data directory (file mode 0600) for the embedded default.
 */
export function resolveTokenSecret(config: AppConfig): string {
  if (config.auth.tokenSecret !== undefined) return config.auth.tokenSecret;
  if (config.env === 'production') throw new Error('AUTH_TOKEN_SECRET is required in production');
  const file = path.join(config.dataDir, SECRET_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
