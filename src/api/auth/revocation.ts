import type { PrismaClient } from '../../generated/prisma/client';
import type { Actor } from '../../domain';
import { type HmacTokenService, InvalidTokenError, type TokenClaims } from './tokens';

/**
 * Whether a signed, unexpired token still stands: its user exists and is active, its `ver` is the
 * user's current `tokenVersion` (bumped on disable, password change, logout everywhere), and its
 * `jti` is not on the deny-list (logout). The user's state is read with one indexed query and
 * remembered per process for at most `USER_STATE_MAX_TTL_MS`: a revocation made elsewhere takes
 * effect here within that window; one made in this process takes effect at once.
 */

/** The upper bound on how long a revoked token may still be accepted by another API process. */
export const USER_STATE_MAX_TTL_MS = 30_000;
/** Users remembered per process (oldest dropped first). */
const USER_STATE_CACHE_SIZE = 10_000;
/** Tokens revoked by this process, remembered until they expire (then the signature check refuses them). */
const LOCAL_REVOKED_SIZE = 10_000;

export interface UserTokenState {
  active: boolean;
  tokenVersion: number;
  role: string;
  comuneCode: string | null;
  /**
   * The Ambiti whose cases the user sees: their UserAmbito rows, plus, for a social worker, the
   * Ambito of their Comune. Read with the rest of the state, so a change applies at the next
   * request in the process that made it (`forgetUser`) and within the cache window elsewhere.
   */
  ambitoIds: readonly string[];
  /** `jti`s of the user's tokens revoked by logout and not yet expired. */
  revokedJtis: ReadonlySet<string>;
}

export type TokenRejection = 'unknown_user' | 'inactive' | 'version' | 'revoked' | 'role_changed';

/** Why `claims` no longer stand against the user's state, or undefined when they do. */
export function rejectionOf(claims: TokenClaims, state: UserTokenState | null): TokenRejection | undefined {
  if (state === null) return 'unknown_user';
  if (!state.active) return 'inactive';
  if (claims.ver !== state.tokenVersion) return 'version';
  if (state.revokedJtis.has(claims.jti)) return 'revoked';
  if (claims.actor.role !== state.role || (claims.actor.comuneCode ?? null) !== state.comuneCode) return 'role_changed';
  return undefined;
}

export type UserStateLoader = (userId: string) => Promise<UserTokenState | null>;

/** One query: the user's flags and the non-expired revoked `jti`s (index RevokedToken(userId, expiresAt)). */
export function userStateLoader(prisma: PrismaClient): UserStateLoader {
  return async (userId) => {
    const rows = await prisma.$queryRaw<Array<{ active: boolean; tokenVersion: number; role: string; comuneCode: string | null; revoked: string[]; ambiti: string[] }>>`
      SELECT u.active, u."tokenVersion", u.role, u."comuneCode",
             ARRAY(SELECT r.jti FROM "RevokedToken" r
                   WHERE r."userId" = u.id AND r."expiresAt" > (now() AT TIME ZONE 'UTC')) AS revoked,
             ARRAY(SELECT ua."ambitoId" FROM "UserAmbito" ua WHERE ua."userId" = u.id
                   UNION
                   SELECT c."ambitoId" FROM "Comune" c
                   WHERE u.role = 'social_worker' AND c.code = u."comuneCode" AND c."ambitoId" IS NOT NULL
                   ORDER BY 1) AS ambiti
      FROM "User" u WHERE u.id = ${userId}`;
    const row = rows[0];
    if (row === undefined) return null;
    return {
      active: row.active,
      tokenVersion: row.tokenVersion,
      role: row.role,
      comuneCode: row.comuneCode,
      ambitoIds: row.ambiti,
      revokedJtis: new Set(row.revoked),
    };
  };
}

export interface UserStateCacheOptions {
  load: UserStateLoader;
  /** How long a user's state is reused, ms; capped at USER_STATE_MAX_TTL_MS. */
  ttlMs?: number;
  maxEntries?: number;
  /** The clock (ms), injectable so tests need not wait. */
  now?: () => number;
}

interface Entry {
  state: UserTokenState | null;
  loadedAtMs: number;
}

/**
 * Per-process, bounded cache of `UserTokenState` by user id. Concurrent requests of one user share
 * one load; `forget` drops a user at once (and any load already in flight for them is not stored).
 */
export class UserStateCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<UserTokenState | null>>();
  private readonly locallyRevoked = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: UserStateCacheOptions) {
    this.ttlMs = Math.min(Math.max(options.ttlMs ?? USER_STATE_MAX_TTL_MS, 0), USER_STATE_MAX_TTL_MS);
    this.maxEntries = options.maxEntries ?? USER_STATE_CACHE_SIZE;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(userId: string): Promise<UserTokenState | null> {
    const entry = this.entries.get(userId);
    if (entry !== undefined && this.now() - entry.loadedAtMs < this.ttlMs) return entry.state;
    const pending = this.inflight.get(userId);
    if (pending !== undefined) return pending;
    const loadedAtMs = this.now();
    const load = this.options.load(userId);
    this.inflight.set(userId, load);
    try {
      const state = await load;
      // Stored only if nobody forgot this user meanwhile (forget removes the in-flight load).
      if (this.inflight.get(userId) === load) {
        this.entries.delete(userId);
        if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
        this.entries.set(userId, { state, loadedAtMs });
      }
      return state;
    } finally {
      if (this.inflight.get(userId) === load) this.inflight.delete(userId);
    }
  }

  /** Drops what is known of the user: the next check reads the database. */
  forget(userId: string): void {
    this.entries.delete(userId);
    this.inflight.delete(userId);
  }

  /** A token revoked by this process: refused here at once, whatever the cached state says. */
  markRevoked(jti: string, expMs: number): void {
    const now = this.now();
    for (const [id, until] of this.locallyRevoked) if (until <= now) this.locallyRevoked.delete(id);
    if (this.locallyRevoked.size >= LOCAL_REVOKED_SIZE) this.locallyRevoked.delete(this.locallyRevoked.keys().next().value as string);
    this.locallyRevoked.set(jti, expMs);
  }

  isRevokedHere(jti: string): boolean {
    return this.locallyRevoked.has(jti);
  }
}

/** Signature and claims (HmacTokenService), then the user's state: the whole check of a built-in token. */
export class RevocationChecker {
  constructor(
    private readonly tokens: Pick<HmacTokenService, 'verifyClaims'>,
    readonly users: UserStateCache,
  ) {}

  /** The token's claims, its actor completed with the user's current Ambiti. */
  async verifyClaims(token: string): Promise<TokenClaims & { actor: Actor }> {
    const claims = await this.tokens.verifyClaims(token);
    if (this.users.isRevokedHere(claims.jti)) throw new InvalidTokenError('revoked');
    const state = await this.users.get(claims.actor.userId);
    const rejection = rejectionOf(claims, state);
    if (rejection === 'unknown_user' || state === null) throw new InvalidTokenError('invalid');
    if (rejection !== undefined) throw new InvalidTokenError('revoked');
    return { ...claims, actor: { ...claims.actor, ambitoIds: [...state.ambitoIds] } };
  }

  /** After the deny-list row is written: refused here at once, and the user's state re-read. */
  revokedHere(claims: Pick<TokenClaims, 'jti' | 'exp' | 'actor'>): void {
    this.users.markRevoked(claims.jti, claims.exp * 1000);
    this.users.forget(claims.actor.userId);
  }
}
