import type { AppConfig } from '../../config';
import type { PrismaClient } from '../../generated/prisma/client';
import { type CaseActor, ROLES, type Role } from '../../domain';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy, LoginThrottle } from './lockout';
import { verifyPassword } from './passwords';
import { RevocationChecker, UserStateCache, userStateLoader } from './revocation';
import { HmacTokenService, resolveTokenSecret, type TokenIssuer, type TokenVerifier } from './tokens';

export { InvalidTokenError, type IssuedToken, type TokenIssuer, type TokenVerifier } from './tokens';
export { hashPassword } from './passwords';
export { changePassword, revokeAllTokens, setUserActive } from './users';
export { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from './lockout';

export interface AuthenticatedUser {
  /** What the token carries (the Ambiti are read at every check, see revocation.ts). */
  actor: CaseActor;
  displayName: string;
  tokenVersion: number;
}

export type LoginResult =
  | { outcome: 'ok'; user: AuthenticatedUser }
  /** Unknown, inactive or wrong password: one answer. */
  | { outcome: 'invalid' }
  /** Too many failures for this username (existing or not); the password was not checked. */
  | { outcome: 'locked'; retryAfterSeconds: number };

/** Login against the `User` table, the token issuer and a verifier that honours revocation. */
export interface TokenService extends TokenVerifier, TokenIssuer {
  login(username: string, password: string): Promise<LoginResult>;
  /** Logout: this token is refused from now on (here at once, in other processes within 30 s). */
  revoke(token: string): Promise<void>;
  /** Logout everywhere: every token of the user is refused. */
  revokeAll(userId: string): Promise<void>;
  /** The user changed (disabled, new password, other Ambiti): re-read their state on the next request. */
  forgetUser(userId: string): void;
}

export interface AuthOptions {
  /** How long a user's state (active, token version, revoked tokens) is reused, ms; at most 30 s. */
  userStateTtlMs?: number;
  /** Clock of that cache (tests). */
  now?: () => number;
  lockout?: Partial<LockoutPolicy>;
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Housekeeping at most once per `ms` per process, off the answer's path; a failure is left to the next run. */
function throttled(ms: number, task: () => Promise<unknown>): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    task().catch(() => undefined);
  };
}

export function createAuth(config: AppConfig, prisma: PrismaClient, options: AuthOptions = {}): TokenService {
  const secret = resolveTokenSecret(config);
  const tokens = new HmacTokenService(secret, config.auth.tokenTtlSeconds, config.auth.tokenMaxTtlSeconds);
  const users = new UserStateCache({ load: userStateLoader(prisma), ttlMs: options.userStateTtlMs, now: options.now });
  const checker = new RevocationChecker(tokens, users);
  const throttle = new LoginThrottle(prisma, secret, { ...DEFAULT_LOCKOUT_POLICY, ...options.lockout });
  const pruneThrottle = throttled(10 * 60_000, () => throttle.prune());
  const pruneRevoked = throttled(10 * 60_000, () => prisma.$executeRaw`DELETE FROM "RevokedToken" WHERE "expiresAt" < (now() AT TIME ZONE 'UTC')`);

  return {
    issue: (actor, tokenVersion) => tokens.issue(actor, tokenVersion),
    verify: async (token) => (await checker.verifyClaims(token)).actor,
    async login(username, password) {
      const key = throttle.key(username);
      const lock = await throttle.state(key);
      if (lock.retryAfterSeconds > 0) return { outcome: 'locked', retryAfterSeconds: lock.retryAfterSeconds };
      const user = await prisma.user.findUnique({ where: { username } });
      const usable = user !== null && user.active && isRole(user.role);
      const ok = await verifyPassword(usable ? user.passwordHash : undefined, password);
      if (!ok || !user || !isRole(user.role)) {
        await throttle.recordFailure(key);
        pruneThrottle();
        return { outcome: 'invalid' };
      }
      if (lock.tracked) await throttle.reset(key);
      const actor: CaseActor = { userId: user.id, role: user.role, ...(user.comuneCode !== null && { comuneCode: user.comuneCode }) };
      return { outcome: 'ok', user: { actor, displayName: user.displayName, tokenVersion: user.tokenVersion } };
    },
    async revoke(token) {
      const claims = await checker.verifyClaims(token);
      const { jti, exp, actor } = claims;
      await prisma.$executeRaw`
        INSERT INTO "RevokedToken" (jti, "userId", "expiresAt")
        VALUES (${jti}, ${actor.userId}, (${new Date(exp * 1000).toISOString()}::timestamptz AT TIME ZONE 'UTC'))
        ON CONFLICT (jti) DO NOTHING`;
      checker.revokedHere(claims);
      pruneRevoked();
    },
    async revokeAll(userId) {
      await prisma.user.updateMany({ where: { id: userId }, data: { tokenVersion: { increment: 1 } } });
      users.forget(userId);
    },
    forgetUser: (userId) => users.forget(userId),
  };
}
