import { createHmac } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client';

/**
 * Per-account login lockout, kept in PostgreSQL (table LoginThrottle) so every API process sees
 * the same count. After `threshold` failures in a row the account is locked for `baseSeconds`,
 * doubling with each further failure up to `maxSeconds`; a success clears it; failures older than
 * `forgetAfterSeconds` start the count again. Unknown usernames are counted exactly like real ones,
 * so the answers do not tell whether an account exists. Times come from the database clock.
 */

export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetAfterSeconds: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { threshold: 5, baseSeconds: 60, maxSeconds: 15 * 60, forgetAfterSeconds: 3600 };

/** Seconds of lock after the `failures`-th failure in a row: 0 below the threshold, then 1, 2, 4 … × base, capped. */
export function lockSecondsAfter(failures: number, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): number {
  if (failures < policy.threshold) return 0;
  const doublings = Math.min(failures - policy.threshold, 30);
  return Math.min(policy.baseSeconds * 2 ** doublings, policy.maxSeconds);
}

/** The normalised username (NFC, trimmed, lower case) as a keyed hash: the raw name is never stored. */
export function accountKey(secret: string, username: string): string {
  return createHmac('sha256', secret).update(`login-throttle\u0000${username.normalize('NFC').trim().toLowerCase()}`).digest('hex');
}

export interface LockState {
  /** 0 when not locked. */
  retryAfterSeconds: number;
  /** Whether the account has a throttle row (a success then clears it). */
  tracked: boolean;
}

const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

export class LoginThrottle {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secret: string,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
  ) {}

  key(username: string): string {
    return accountKey(this.secret, username);
  }

  async state(key: string): Promise<LockState> {
    const rows = await this.prisma.$queryRawUnsafe<Array<{ retry: number }>>(
      `SELECT GREATEST(0, CEIL(EXTRACT(EPOCH FROM (COALESCE("lockedUntil", ${UTC_NOW}) - ${UTC_NOW}))))::int AS retry
       FROM "LoginThrottle" WHERE "accountKey" = $1`,
      key,
    );
    const row = rows[0];
    return { retryAfterSeconds: row?.retry ?? 0, tracked: row !== undefined };
  }

  /** Counts one failure (atomically, also across processes); returns the lock it set, seconds (0: none). */
  async recordFailure(key: string): Promise<number> {
    const rows = await this.prisma.$queryRawUnsafe<Array<{ failures: number }>>(
      `INSERT INTO "LoginThrottle" ("accountKey", failures, "lockedUntil", "lastFailureAt") VALUES ($1, 1, NULL, ${UTC_NOW})
       ON CONFLICT ("accountKey") DO UPDATE SET
         failures = CASE WHEN "LoginThrottle"."lastFailureAt" < ${UTC_NOW} - make_interval(secs => $2) THEN 1 ELSE "LoginThrottle".failures + 1 END,
         "lastFailureAt" = ${UTC_NOW}
       RETURNING failures`,
      key,
      this.policy.forgetAfterSeconds,
    );
    const seconds = lockSecondsAfter(rows[0]?.failures ?? 1, this.policy);
    if (seconds > 0) {
      // GREATEST: two concurrent failures never shorten each other's lock.
      await this.prisma.$executeRawUnsafe(
        `UPDATE "LoginThrottle" SET "lockedUntil" = GREATEST(COALESCE("lockedUntil", ${UTC_NOW}), ${UTC_NOW} + make_interval(secs => $2))
         WHERE "accountKey" = $1`,
        key,
        seconds,
      );
    }
    return seconds;
  }

  async reset(key: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(`DELETE FROM "LoginThrottle" WHERE "accountKey" = $1`, key);
  }

  /** Drops rows whose failures are forgotten anyway (keeps the table small). */
  async prune(): Promise<number> {
    return this.prisma.$executeRawUnsafe(
      `DELETE FROM "LoginThrottle" WHERE "lastFailureAt" < ${UTC_NOW} - make_interval(secs => $1)
         AND ("lockedUntil" IS NULL OR "lockedUntil" < ${UTC_NOW})`,
      this.policy.forgetAfterSeconds,
    );
  }
}
