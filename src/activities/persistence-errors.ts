import { ApplicationFailure } from '@temporalio/activity';
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

/** SQLSTATE classes of errors that no retry can fix (PostgreSQL Appendix A). */
const PERMANENT_SQLSTATE_CLASSES = new Set([
  '0A', // feature not supported
  '21', // cardinality violation
  '22', // data exception (e.g. 22P05: \u0000 in jsonb, 22021: invalid byte sequence)
  '23', // integrity constraint violation
  '2F', // SQL routine exception
  '42', // syntax error or access rule violation (e.g. a missing column: schema drift)
  '44', // with check option violation
  'P0', // PL/pgSQL raise (a trigger or rule refusing the row)
]);

/** Prisma codes that say the request itself is wrong (bad value, missing row, constraint). */
const PERMANENT_PRISMA_CODES = new Set(['P2000', 'P2002', 'P2003', 'P2004', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023', 'P2025']);

interface DriverAdapterCause {
  originalCode?: unknown;
  code?: unknown;
  kind?: unknown;
}

function adapterCause(err: object): DriverAdapterCause | undefined {
  const meta = (err as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta;
  const cause = meta?.driverAdapterError?.cause ?? (err as { cause?: unknown }).cause;
  return typeof cause === 'object' && cause !== null ? cause : undefined;
}

function sqlStateOf(err: object, cause: DriverAdapterCause | undefined): string | undefined {
  // The adapter's cause carries PostgreSQL's own code (P0001 is a SQLSTATE there, not Prisma's).
  for (const candidate of [cause?.originalCode, cause?.code]) {
    if (typeof candidate === 'string' && /^[0-9A-Z]{5}$/.test(candidate)) return candidate;
  }
  const own = (err as { code?: unknown }).code;
  return typeof own === 'string' && /^[0-9A-Z]{5}$/.test(own) && !/^P\d{4}$/.test(own) ? own : undefined;
}

export function classifyPersistenceError(err: unknown): PersistenceErrorInfo {
  if (typeof err !== 'object' || err === null) return { permanent: false, errorClass: typeof err, code: '' };
  const errorClass = (err as { name?: unknown }).name;
  const cause = adapterCause(err);
  const prismaCode = (err as { code?: unknown }).code;
  const sqlState = sqlStateOf(err, cause);
  const kind = typeof cause?.kind === 'string' && cause.kind !== 'postgres' ? cause.kind : undefined;
  const code = [typeof prismaCode === 'string' && /^P\d{4}$/.test(prismaCode) ? prismaCode : undefined, sqlState, kind]
    .filter((c): c is string => c !== undefined)
    .filter((c, i, all) => all.indexOf(c) === i)
    .join('/');
  const name = typeof errorClass === 'string' ? errorClass : 'Error';
  let permanent = false;
  if (sqlState !== undefined) permanent = PERMANENT_SQLSTATE_CLASSES.has(sqlState.slice(0, 2));
  else if (typeof prismaCode === 'string' && PERMANENT_PRISMA_CODES.has(prismaCode)) permanent = true;
  // A query Prisma refuses to build (wrong shape of data) fails the same way every time.
  else if (name === 'PrismaClientValidationError') permanent = true;
  return { permanent, errorClass: name, code };
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
