import type { PrismaClient } from '../../generated/prisma/client';
import { hashPassword } from './passwords';

/**
 * Account changes that revoke the user's tokens: each bumps `User.tokenVersion` in the same
 * UPDATE, so every token issued before it is refused (at once in a process told through
 * `TokenService.forgetUser`, within 30 s in the others). For the admin tools to come; no HTTP
 * endpoint yet. Each returns false when the user does not exist.
 */

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

async function bump(prisma: PrismaClient, userId: string, data: { active?: boolean; passwordHash?: string }): Promise<boolean> {
  const { count } = await prisma.user.updateMany({ where: { id: userId }, data: { ...data, tokenVersion: { increment: 1 } } });
  return count === 1;
}

/** Enables or disables a user; either way the existing tokens stop working (re-enabling does not bring them back). */
export function setUserActive(prisma: PrismaClient, userId: string, active: boolean): Promise<boolean> {
  return bump(prisma, userId, { active });
}

/** Sets a new password (Argon2id) and revokes every token of the user. */
export async function changePassword(prisma: PrismaClient, userId: string, newPassword: string): Promise<boolean> {
  if (newPassword.length < MIN_PASSWORD_LENGTH || newPassword.length > MAX_PASSWORD_LENGTH || newPassword.trim() === '') {
    throw new RangeError(`password must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters`);
  }
  return bump(prisma, userId, { passwordHash: await hashPassword(newPassword) });
}

/** Logout everywhere: every token of the user stops working. */
export function revokeAllTokens(prisma: PrismaClient, userId: string): Promise<boolean> {
  return bump(prisma, userId, {});
}
