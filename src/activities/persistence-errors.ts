import { ApplicationFailure } from '@temporalio/activity';
import { classifyDbError } from '../db/errors';
import { PERSISTENCE_FAILED, PERSISTENCE_TRANSIENT, type PersistenceFailureInfo } from '../workflows/activity-types';

/**
 * What a failed write of the case workflow's persistence activity means. A database that refuses
 * the data itself (a value PostgreSQL cannot store, a violated constraint, a trigger or check
 * that raises) fails the same way on every retry: that is permanent, and retrying forever would
 * freeze the case without anybody knowing why. Anything else (connection lost, timeout,
 * serialization conflict, pool exhausted, an error we do not recognise) is transient and retried
 * with backoff.
 *
 * Only the error's class and codes leave this module: database messages can quote the values
 * that caused them, which may be personal data.
 */

export interface PersistenceErrorInfo extends PersistenceFailureInfo {
  permanent: boolean;
}

/** SQLSTATE classes that no retry can fix, beyond data (22) and constraint (23) errors. */
const PERMANENT_SQLSTATE_CLASSES = new Set([
  '0A', // feature not supported
  '21', // cardinality violation
  '2F', // SQL routine exception
  '42', // syntax error or access rule violation (e.g. a missing column: schema drift)
  '44', // with check option violation
  'P0', // PL/pgSQL raise (a trigger or rule refusing the row)
]);

/** Prisma codes that say the request itself is wrong (bad value, missing row, constraint). */
const PERMANENT_PRISMA_CODES = new Set(['P2000', 'P2002', 'P2003', 'P2004', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023', 'P2025']);

/** One classification for the API and the activities (src/db/errors.ts); this adds what "permanent" means for a write. */
export function classifyPersistenceError(err: unknown): PersistenceErrorInfo {
  const c = classifyDbError(err);
  const sqlState = c.code !== undefined && /^[0-9A-Z]{5}$/.test(c.code) ? c.code : undefined;
  const permanent =
    c.kind === 'data' ||
    c.kind === 'constraint' ||
    (c.kind === 'unknown' &&
      ((sqlState !== undefined && PERMANENT_SQLSTATE_CLASSES.has(sqlState.slice(0, 2))) ||
        (sqlState === undefined && c.prismaCode !== undefined && PERMANENT_PRISMA_CODES.has(c.prismaCode)) ||
        c.errorClass === 'PrismaClientValidationError'));
  const code = [c.prismaCode, c.code].filter((x): x is string => x !== undefined).filter((x, i, all) => all.indexOf(x) === i).join('/');
  return { permanent, errorClass: c.errorClass, code };
}

/**
 * The failure an activity throws for a database error: non-retryable for a permanent one (the
 * workflow then marks the case as stuck with reason "persistence failed"), retryable otherwise.
 * The message carries class and codes only.
 */
export function persistenceFailure(err: unknown): ApplicationFailure {
  const info = classifyPersistenceError(err);
  const message = `database write failed: ${info.errorClass}${info.code ? ` ${info.code}` : ''}`;
  const details: PersistenceFailureInfo[] = [{ errorClass: info.errorClass, code: info.code }];
  return info.permanent
    ? ApplicationFailure.nonRetryable(message, PERSISTENCE_FAILED, ...details)
    : ApplicationFailure.retryable(message, PERSISTENCE_TRANSIENT, ...details);
}
