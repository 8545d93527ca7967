/**
 * What a database error means, from the error objects Prisma 7 with @prisma/adapter-pg really
 * throws (captured against the embedded PostgreSQL, see test/integration/db-errors.test.ts):
 *
 * - most errors are a PrismaClientKnownRequestError (`code` P1001, P2002, P2010, P2039 …) whose
 *   `meta.driverAdapterError` is a DriverAdapterError with a plain `cause`
 *   `{ kind, originalCode?, code? }`: `kind` is the adapter's name for it (DatabaseNotReachable,
 *   ConnectionClosed, UniqueConstraintViolation, TransactionWriteConflict …) or "postgres" with
 *   the SQLSTATE in `code`; `originalCode` is the SQLSTATE when PostgreSQL answered;
 * - a connection that dies mid-query, or a pool that cannot hand out a connection in time,
 *   surfaces as a plain Error from node-postgres ("Connection terminated unexpectedly", "timeout
 *   exceeded when trying to connect");
 * - a query Prisma refuses to build (e.g. an invalid Date) is a PrismaClientValidationError.
 *
 * Pure (no I/O, no Prisma import), duck-typed on names and codes, so the API and the activities
 * can share it. Messages are read only to recognise the node-postgres connection errors above and
 * are never returned: they can quote the values that caused them.
 */

export type DbErrorKind =
  /** The database cannot be reached or used (down, refused, terminated, auth, pool exhausted): retry later. */
  | 'unavailable'
  /** This attempt lost (serialization failure, deadlock, lock or statement timeout): retry now. */
  | 'transient'
  /** A value PostgreSQL refuses (NUL in text 22021 or jsonb 22P05, date out of range 22008 …): no retry helps. */
  | 'data'
  /** A constraint refuses the change (unique 23505, foreign key 23503 …): no retry helps. */
  | 'constraint'
  /** Anything else (including errors that do not come from the database). */
  | 'unknown';

export interface DbErrorClassification {
  kind: DbErrorKind;
  /** True when the error comes from the database layer (Prisma, the adapter, node-postgres). */
  database: boolean;
  /** Class of the outermost error object (PrismaClientKnownRequestError, DriverAdapterError, Error …). */
  errorClass: string;
  /**
   * The most specific code known: the SQLSTATE (22P05), else the adapter's kind
   * (DatabaseNotReachable), else Prisma's code (P1001), else the socket's (ECONNREFUSED).
   */
  code?: string;
  /** Prisma's own code, when there is one (P2002 …). */
  prismaCode?: string;
}

export function isRetryableDbError(c: DbErrorClassification): boolean {
  return c.kind === 'unavailable' || c.kind === 'transient';
}

const ADAPTER_KINDS: Record<string, DbErrorKind> = {
  DatabaseNotReachable: 'unavailable',
  ConnectionClosed: 'unavailable',
  SocketTimeout: 'unavailable',
  TlsConnectionError: 'unavailable',
  TooManyConnections: 'unavailable',
  AuthenticationFailed: 'unavailable',
  DatabaseDoesNotExist: 'unavailable',
  DatabaseAccessDenied: 'unavailable',
  TransactionWriteConflict: 'transient',
  UniqueConstraintViolation: 'constraint',
  NullConstraintViolation: 'constraint',
  ForeignKeyConstraintViolation: 'constraint',
  RestrictViolation: 'constraint',
  LengthMismatch: 'data',
  ValueOutOfRange: 'data',
  InvalidInputValue: 'data',
};

const PRISMA_CODES: Record<string, DbErrorKind> = {
  P1000: 'unavailable', // authentication failed
  P1001: 'unavailable', // can't reach database server
  P1002: 'unavailable', // server reached but timed out
  P1003: 'unavailable', // database does not exist
  P1008: 'unavailable', // operations timed out
  P1010: 'unavailable', // access denied
  P1011: 'unavailable', // TLS error
  P1017: 'unavailable', // server closed the connection
  P2024: 'unavailable', // timed out fetching a connection from the pool
  P2028: 'transient', // transaction API error (e.g. interactive transaction expired)
  P2034: 'transient', // write conflict or deadlock
  P2000: 'data', // value too long for the column
  P2005: 'data', // invalid value stored for the field type
  P2006: 'data', // invalid value for the field
  P2007: 'data', // data validation error
  P2020: 'data', // value out of range
  P2023: 'data', // inconsistent column data
  P2033: 'data', // number does not fit in 64 bits
  P2002: 'constraint',
  P2003: 'constraint',
  P2004: 'constraint',
  P2011: 'constraint',
  P2014: 'constraint',
};

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** node-postgres / pg-pool errors that carry no code (matched on their fixed English text). */
const CONNECTION_MESSAGES: Array<[RegExp, string]> = [
  [/^Connection terminated unexpectedly$/, 'CONNECTION_TERMINATED'],
  [/^Connection terminated due to connection timeout$/, 'CONNECTION_TIMEOUT'],
  [/^Connection terminated$/, 'CONNECTION_TERMINATED'],
  [/^timeout exceeded when trying to connect$/, 'POOL_TIMEOUT'],
  [/^Client has encountered a connection error and is not queryable$/, 'CONNECTION_ERROR'],
  [/^Client was closed and is not queryable$/, 'CLIENT_CLOSED'],
  [/^Cannot use a pool after calling end on the pool$/, 'POOL_ENDED'],
];

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The kind of a PostgreSQL SQLSTATE. */
export function sqlStateKind(state: string): DbErrorKind {
  if (state === '57014' || state === '55P03' || state === '55006') return 'transient'; // statement timeout / lock not available / object in use
  if (state.startsWith('57P') || state.startsWith('08') || state.startsWith('53') || state.startsWith('28') || state === '3D000') return 'unavailable';
  if (state === '40002') return 'constraint';
  if (state.startsWith('40')) return 'transient';
  if (state.startsWith('22') || state.startsWith('54')) return 'data';
  if (state.startsWith('23')) return 'constraint';
  return 'unknown';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function classOf(err: unknown): string {
  if (!isObj(err)) return typeof err;
  const ctor = (Object.getPrototypeOf(err) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const name = str(err.name);
  // Prisma's classes set `name`; plain objects thrown across realms keep only their name.
  if (name !== undefined && (ctor === undefined || ctor === 'Object' || ctor === 'Error')) return name;
  return typeof ctor === 'string' && ctor.length > 0 ? ctor : 'Object';
}

/** The classification of an adapter error `cause` ({ kind, originalCode?, code? }). */
function fromAdapterCause(cause: Obj): { kind: DbErrorKind; code: string } | undefined {
  const adapterKind = str(cause.kind);
  const state = [cause.originalCode, cause.code].map(str).find((c) => c !== undefined && SQLSTATE.test(c));
  if (state !== undefined) {
    const byState = sqlStateKind(state);
    return { kind: byState !== 'unknown' ? byState : (adapterKind && ADAPTER_KINDS[adapterKind]) || 'unknown', code: state };
  }
  if (adapterKind !== undefined && adapterKind !== 'postgres') return { kind: ADAPTER_KINDS[adapterKind] ?? 'unknown', code: adapterKind };
  return undefined;
}

function classifyOne(err: unknown): DbErrorClassification | undefined {
  if (!isObj(err)) return undefined;
  const errorClass = classOf(err);
  const code = str(err.code);

  // Prisma's errors (known request, initialization, validation, unknown request, panic).
  if (errorClass.startsWith('PrismaClient')) {
    const prismaCode = code ?? str(err.errorCode);
    const adapterError = isObj(err.meta) ? err.meta.driverAdapterError : undefined;
    const fromAdapter = isObj(adapterError) && isObj(adapterError.cause) ? fromAdapterCause(adapterError.cause) : undefined;
    if (fromAdapter) return { ...fromAdapter, database: true, errorClass, prismaCode };
    if (errorClass === 'PrismaClientValidationError') return { kind: 'data', database: true, errorClass, prismaCode };
    const kind = (prismaCode && PRISMA_CODES[prismaCode]) || 'unknown';
    return { kind, database: true, errorClass, code: prismaCode, prismaCode };
  }
  // The adapter's own error, unwrapped.
  if (errorClass === 'DriverAdapterError' && isObj(err.cause)) {
    const fromAdapter = fromAdapterCause(err.cause);
    return { ...(fromAdapter ?? { kind: 'unknown' }), database: true, errorClass };
  }
  // node-postgres DatabaseError: SQLSTATE and severity.
  if (code !== undefined && SQLSTATE.test(code) && typeof err.severity === 'string') {
    return { kind: sqlStateKind(code), database: true, errorClass, code };
  }
  // Sockets.
  if (code !== undefined && SOCKET_CODES.has(code)) return { kind: 'unavailable', database: true, errorClass, code };
  // node-postgres / pg-pool connection errors without a code.
  const message = str(err.message);
  if (message !== undefined) {
    const hit = CONNECTION_MESSAGES.find(([re]) => re.test(message));
    if (hit) return { kind: 'unavailable', database: true, errorClass, code: hit[1] };
  }
  return undefined;
}

/**
 * Classifies `err`, following `cause` a few levels when the outer error is not a database one
 * (then `errorClass` names the database error found inside).
 */
export function classifyDbError(err: unknown): DbErrorClassification {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && isObj(current); depth += 1) {
    const hit = classifyOne(current);
    if (hit) return hit;
    current = current.cause;
  }
  return { kind: 'unknown', database: false, errorClass: classOf(err) };
}
