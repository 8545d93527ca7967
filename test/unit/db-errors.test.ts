import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import { Prisma } from '../../src/generated/prisma/client';
import { databaseProblem, loggableError } from '../../src/api/problem';
import { classifyDbError, isRetryableDbError, sqlStateKind } from '../../src/db/errors';

/**
 * The classifier over the error objects Prisma 7.10 + @prisma/adapter-pg 7.10 throw, rebuilt here
 * with the real classes and the exact payloads captured from the embedded PostgreSQL (the same
 * errors are produced live in test/integration/db-errors.test.ts).
 */

function known(prismaCode: string, cause: Record<string, unknown>, message = 'Invalid `prisma.x()` invocation: secret value "Mario Rossi"') {
  return new Prisma.PrismaClientKnownRequestError(message, {
    code: prismaCode,
    clientVersion: '7.10.0',
    meta: { modelName: 'Note', driverAdapterError: new DriverAdapterError(cause as never) },
  });
}

/** node-postgres connection errors surface as plain Errors (Prisma adds clientVersion). */
function plain(message: string): Error {
  return Object.assign(new Error(message), { clientVersion: '7.10.0' });
}

const CAPTURED = {
  unique: known('P2002', { originalCode: '23505', originalMessage: 'duplicate key value violates unique constraint "User_pkey"', kind: 'UniqueConstraintViolation', constraint: { index: 'User_pkey' }, table: 'User' }),
  nulText: known('P2039', { originalCode: '22021', originalMessage: 'invalid byte sequence for encoding "UTF8": 0x00', kind: 'postgres', code: '22021', severity: 'ERROR', message: 'invalid byte sequence for encoding "UTF8": 0x00' }),
  nulJsonb: known('P2039', { originalCode: '22P05', originalMessage: 'unsupported Unicode escape sequence', kind: 'postgres', code: '22P05', severity: 'ERROR', message: 'unsupported Unicode escape sequence', detail: '\\u0000 cannot be converted to text.' }),
  yearZero: known('P2039', { originalCode: '22008', kind: 'postgres', code: '22008', severity: 'ERROR', message: 'date/time field value out of range: "0000-01-01 00:00:00"' }),
  serialization: known('P2010', { originalCode: '40001', originalMessage: 'could not serialize access due to concurrent update', kind: 'TransactionWriteConflict' }),
  statementTimeout: known('P2010', { originalCode: '57014', kind: 'postgres', code: '57014', severity: 'ERROR', message: 'canceling statement due to statement timeout' }),
  terminated: known('P2010', { originalCode: '57P01', kind: 'postgres', code: '57P01', severity: 'FATAL', message: 'terminating connection due to administrator command' }),
  refused: known('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 25131 }),
  closed: known('P2010', { kind: 'ConnectionClosed' }),
  badPassword: known('P1000', { originalCode: '28P01', originalMessage: 'password authentication failed for user "postgres"', kind: 'AuthenticationFailed', user: 'postgres' }),
  noDatabase: known('P1003', { originalCode: '3D000', kind: 'DatabaseDoesNotExist', db: 'nope_db' }),
  killedMidQuery: plain('Connection terminated unexpectedly'),
  poolTimeout: plain('timeout exceeded when trying to connect'),
};

describe('classifyDbError', () => {
  it.each([
    ['unique violation', CAPTURED.unique, 'constraint', '23505'],
    ['NUL in text', CAPTURED.nulText, 'data', '22021'],
    ['NUL in jsonb', CAPTURED.nulJsonb, 'data', '22P05'],
    ['year 0000', CAPTURED.yearZero, 'data', '22008'],
    ['serialization failure', CAPTURED.serialization, 'transient', '40001'],
    ['statement timeout', CAPTURED.statementTimeout, 'transient', '57014'],
    ['connection terminated by the server', CAPTURED.terminated, 'unavailable', '57P01'],
    ['connection refused', CAPTURED.refused, 'unavailable', 'DatabaseNotReachable'],
    ['connection closed', CAPTURED.closed, 'unavailable', 'ConnectionClosed'],
    ['authentication failed', CAPTURED.badPassword, 'unavailable', '28P01'],
    ['database missing', CAPTURED.noDatabase, 'unavailable', '3D000'],
    ['server killed mid-query', CAPTURED.killedMidQuery, 'unavailable', 'CONNECTION_TERMINATED'],
    ['pool exhausted', CAPTURED.poolTimeout, 'unavailable', 'POOL_TIMEOUT'],
  ])('%s', (_label, err, kind, code) => {
    const c = classifyDbError(err);
    expect(c).toMatchObject({ kind, code, database: true });
    expect(isRetryableDbError(c)).toBe(kind === 'unavailable' || kind === 'transient');
  });

  it('names the class and Prisma code, never the message', () => {
    const c = classifyDbError(CAPTURED.nulJsonb);
    expect(c).toEqual({ kind: 'data', database: true, errorClass: 'PrismaClientKnownRequestError', code: '22P05', prismaCode: 'P2039' });
    expect(JSON.stringify(c)).not.toMatch(/Unicode|Mario/);
  });

  it('reads a DriverAdapterError, a node-postgres DatabaseError and socket errors unwrapped', () => {
    expect(classifyDbError(new DriverAdapterError({ kind: 'DatabaseNotReachable', host: 'h' } as never))).toMatchObject({ kind: 'unavailable', errorClass: 'DriverAdapterError', code: 'DatabaseNotReachable' });
    const pgError = Object.assign(new Error('deadlock detected'), { name: 'error', code: '40P01', severity: 'ERROR' });
    expect(classifyDbError(pgError)).toMatchObject({ kind: 'transient', code: '40P01' });
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    expect(classifyDbError(socket)).toMatchObject({ kind: 'unavailable', errorClass: 'Error', code: 'ECONNREFUSED' });
  });

  it('follows causes, and leaves errors that are not the database alone', () => {
    const wrapped = new Error('activity failed', { cause: CAPTURED.refused });
    expect(classifyDbError(wrapped)).toMatchObject({ kind: 'unavailable', database: true, code: 'DatabaseNotReachable' });
    expect(classifyDbError(new TypeError('x is undefined'))).toEqual({ kind: 'unknown', database: false, errorClass: 'TypeError' });
    expect(classifyDbError('boom')).toEqual({ kind: 'unknown', database: false, errorClass: 'string' });
    expect(classifyDbError(new Prisma.PrismaClientValidationError('Invalid value for argument `gt`', { clientVersion: '7.10.0' }))).toMatchObject({ kind: 'data', database: true });
  });

  it('maps SQLSTATE classes', () => {
    expect(['08006', '57P03', '53300', '53100', '28000'].map(sqlStateKind)).toEqual(['unavailable', 'unavailable', 'unavailable', 'unavailable', 'unavailable']);
    expect(['40001', '40P01', '55P03', '57014'].map(sqlStateKind)).toEqual(['transient', 'transient', 'transient', 'transient']);
    expect(['22001', '22P02', '54000'].map(sqlStateKind)).toEqual(['data', 'data', 'data']);
    expect(['23503', '23502', '40002'].map(sqlStateKind)).toEqual(['constraint', 'constraint', 'constraint']);
    expect(['42P01', 'XX000'].map(sqlStateKind)).toEqual(['unknown', 'unknown']);
  });
});

describe('database errors at the API', () => {
  it('an outage answers 503 DATABASE_UNAVAILABLE, a lost race 503 DATABASE_BUSY, a refused value 422, a constraint 409', () => {
    expect(databaseProblem(CAPTURED.refused)?.toProblem()).toMatchObject({
      status: 503,
      detail: 'Database non raggiungibile: nessuna modifica registrata, riprovare',
      code: 'DATABASE_UNAVAILABLE',
    });
    expect(databaseProblem(CAPTURED.killedMidQuery)?.status).toBe(503);
    expect(databaseProblem(CAPTURED.serialization)?.toProblem()).toMatchObject({ status: 503, code: 'DATABASE_BUSY' });
    expect(databaseProblem(CAPTURED.nulJsonb)?.toProblem()).toMatchObject({ status: 422, code: 'DATA_REJECTED' });
    expect(databaseProblem(CAPTURED.unique)?.toProblem()).toMatchObject({ status: 409, code: 'DATABASE_CONFLICT' });
    expect(databaseProblem(new Error('not the database'))).toBeUndefined();
  });

  it('logs the class and code, not the message, and stays so through the logger serializer', () => {
    const line = loggableError(CAPTURED.refused);
    expect(line).toMatchObject({ type: 'PrismaClientKnownRequestError', code: 'P1001', db: { kind: 'unavailable', code: 'DatabaseNotReachable' } });
    expect(JSON.stringify(line)).not.toContain('Mario');
    // The logger's `err` serializer runs on what callers already made loggable: it must not become {type:'object'}.
    expect(loggableError(line)).toBe(line);
    expect(loggableError({ code: 'X1' })).toMatchObject({ type: 'Object', code: 'X1' });
    expect(loggableError(CAPTURED.killedMidQuery)).toMatchObject({ type: 'Error', code: 'CONNECTION_TERMINATED', db: { kind: 'unavailable' } });
  });
});
