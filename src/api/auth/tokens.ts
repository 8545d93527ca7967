import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { AppConfig } from '../../config';
import { type Actor, type CaseActor, ROLES } from '../../domain';

/**
 * Bearer tokens. The API depends only on `TokenVerifier` (token ⇒ Actor), so an OIDC provider can
 * replace the built-in issuer: map its claims to an Actor and pass that verifier instead.
 */

/** Token ⇒ who (user, role, Comune): enough for gates that check a role only (the codec endpoint). */
export interface CaseActorVerifier {
  verify(token: string): Promise<CaseActor>;
}

export interface TokenVerifier extends CaseActorVerifier {
  /** The actor of a valid token (with the Ambiti the user sees); throws `InvalidTokenError` otherwise. */
  verify(token: string): Promise<Actor>;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export interface TokenIssuer {
  /** `tokenVersion`: the user's current `User.tokenVersion`, carried as claim `ver`. Ambiti are not carried. */
  issue(actor: CaseActor, tokenVersion?: number): Promise<IssuedToken>;
}

/** What a verified built-in token says, beyond its actor: what revocation checks need. */
export interface TokenClaims {
  actor: CaseActor;
  /** Unique id of this token (logout puts it on the deny-list). */
  jti: string;
  /** The user's token version when it was issued. */
  ver: number;
  iat: number;
  exp: number;
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'malformed' | 'expired' | 'invalid' | 'revoked') {
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
  iat: z.number().int(),
  jti: z.string().min(1).max(64),
  ver: z.number().int().min(0),
  role: z.enum(ROLES),
  comune: z.string().regex(/^\d{6}$/).optional(),
});

/** How many verified tokens are remembered (a few per user and shift is plenty). */
const VERIFIED_CACHE_SIZE = 10_000;
/** Clock skew tolerated on `iat` (a token issued "in the future" by a peer process). */
const IAT_SKEW_SECONDS = 60;
/** Default maximum lifetime accepted on verification (AUTH_TOKEN_MAX_TTL_SECONDS). */
export const DEFAULT_MAX_TTL_SECONDS = 12 * 3600;

/**
 * HS256 tokens signed with a shared secret (AUTH_TOKEN_SECRET, or a local generated one).
 * A token already verified is remembered until its expiry, so the signature and claims are checked
 * once per token rather than once per request; an expired one is verified (and refused) again.
 * A token must carry `iat`, `jti` and `ver`, and may live at most `maxTtlSeconds` (exp - iat),
 * whatever its signer chose. This class checks the token alone: whether its user still exists, is
 * active, and has not revoked it is `createAuth`'s job (see revocation.ts).
 */
export class HmacTokenService implements TokenIssuer, CaseActorVerifier {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly maxTtlSeconds: number = DEFAULT_MAX_TTL_SECONDS,
  ) {
    if (secret.length < 32) throw new Error('token secret must be at least 32 characters');
    if (ttlSeconds > maxTtlSeconds) throw new Error('token TTL exceeds the maximum TTL');
    this.key = new TextEncoder().encode(secret);
  }

  async issue(actor: CaseActor, tokenVersion = 0): Promise<IssuedToken> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.ttlSeconds;
    const token = await new SignJWT({ role: actor.role, ver: tokenVersion, ...(actor.comuneCode !== undefined && { comune: actor.comuneCode }) })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(actor.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<CaseActor> {
    return (await this.verifyClaims(token)).actor;
  }

  /** The claims of a valid token (a fresh copy each time); throws `InvalidTokenError` otherwise. */
  async verifyClaims(token: string): Promise<TokenClaims> {
    const known = this.verified.get(token);
    if (known !== undefined && known.exp * 1000 > Date.now()) return { ...known, actor: { ...known.actor } };
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
    const { sub, role, comune, exp, iat, jti, ver } = claims.data;
    if (role === 'social_worker' && comune === undefined) throw new InvalidTokenError('invalid');
    // A lifetime longer than allowed (or an issue time in the future) is refused, even if signed.
    if (exp - iat > this.maxTtlSeconds || iat > Date.now() / 1000 + IAT_SKEW_SECONDS) throw new InvalidTokenError('invalid');
    const actor: CaseActor = { userId: sub, role, ...(comune !== undefined && { comuneCode: comune }) };
    const verified: TokenClaims = { actor, jti, ver, iat, exp };
    // Oldest first out: a Map iterates in insertion order.
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { ...verified, actor: { ...actor } });
    return verified;
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
