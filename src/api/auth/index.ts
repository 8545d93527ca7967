import type { AppConfig } from '../../config';
import type { PrismaClient } from '../../generated/prisma/client';
import { type Actor, ROLES, type Role } from '../../workflows/definitions';
import { verifyPassword } from './passwords';
import { HmacTokenService, resolveTokenSecret, type TokenIssuer, type TokenVerifier } from './tokens';

export { InvalidTokenError, type IssuedToken, type TokenIssuer, type TokenVerifier } from './tokens';
export { hashPassword } from './passwords';

export interface AuthenticatedUser {
  actor: Actor;
  displayName: string;
}

/** Login against the `User` table plus the token issuer and verifier. */
export interface TokenService extends TokenVerifier, TokenIssuer {
  /** The user for these credentials, or undefined (unknown, inactive or wrong password: same answer). */
  authenticate(username: string, password: string): Promise<AuthenticatedUser | undefined>;
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function createAuth(config: AppConfig, prisma: PrismaClient): TokenService {
  const tokens = new HmacTokenService(resolveTokenSecret(config), config.auth.tokenTtlSeconds);
  return {
    issue: (actor) => tokens.issue(actor),
    verify: (token) => tokens.verify(token),
    async authenticate(username, password) {
      const user = await prisma.user.findUnique({ where: { username } });
      const usable = user !== null && user.active && isRole(user.role);
      const ok = await verifyPassword(usable ? user.passwordHash : undefined, password);
      if (!ok || !user || !isRole(user.role)) return undefined;
      const actor: Actor = { userId: user.id, role: user.role, ...(user.comuneCode !== null && { comuneCode: user.comuneCode }) };
      return { actor, displayName: user.displayName };
    },
  };
}
