import { PrismaPg } from '@prisma/adapter-pg';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { createLogger } from '../../src/api/logger';
import { createAuth, mountApiRoutes } from '../../src/api/routes';
import { createPrismaClient } from '../../src/db/prisma';
import { classifyDbError, type DbErrorClassification } from '../../src/db/errors';
import { freePort } from '../../src/embedded/ports';
import { PrismaClient } from '../../src/generated/prisma/client';
import { type ApiHarness, bearer, sundayReport, startApiHarness } from './api-harness';

/**
 * The classifier against the errors the real stack throws (Prisma 7 + @prisma/adapter-pg over the
 * embedded PostgreSQL), and what the API answers and logs when the database is away.
 */

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('db_errors', { worker: false });
});
afterAll(async () => {
  await h?.close();
});

async function classified(fn: () => Promise<unknown>): Promise<DbErrorClassification> {
  try {
    await fn();
  } catch (err) {
    return classifyDbError(err);
  }
  throw new Error('expected a database error');
}

const user = (id: string, username = id) => ({ id, username, displayName: 'Prova', role: 'coordinator', passwordHash: 'x', active: true });

describe('classifyDbError on real PostgreSQL errors', () => {
  it('unique violation ⇒ constraint 23505', async () => {
    await h.prisma.user.create({ data: user('u-dup') });
    expect(await classified(() => h.prisma.user.create({ data: user('u-dup') }))).toMatchObject({ kind: 'constraint', code: '23505', prismaCode: 'P2002' });
  });

  it('NUL in a text column ⇒ data 22021; in jsonb ⇒ data 22P05', async () => {
    expect(await classified(() => h.prisma.user.findUnique({ where: { username: 'a\u0000b' } }))).toMatchObject({ kind: 'data', code: '22021' });
    expect(await classified(() => h.prisma.$executeRaw`SELECT ${JSON.stringify({ a: 'x\u0000' })}::jsonb`)).toMatchObject({ kind: 'data', code: '22P05' });
  });

  it('year 0000 ⇒ data 22008 (why such a date answered 500)', async () => {
    expect(await classified(() => h.prisma.case.findMany({ where: { reportedAt: { gt: new Date('0000-01-01T00:00:00Z') } } }))).toMatchObject({ kind: 'data', code: '22008' });
  });

  it('serialization failure ⇒ transient 40001; statement timeout ⇒ transient 57014', async () => {
    await h.prisma.user.create({ data: user('u-race') });
    const other = createPrismaClient(h.db.url);
    try {
      const c = await classified(() =>
        h.prisma.$transaction(
          async (tx) => {
            await tx.user.findUnique({ where: { id: 'u-race' } });
            await other.user.update({ where: { id: 'u-race' }, data: { displayName: 'A' } });
            await tx.user.update({ where: { id: 'u-race' }, data: { displayName: 'B' } });
          },
          { isolationLevel: 'Serializable' },
        ),
      );
      expect(c).toMatchObject({ kind: 'transient', code: '40001' });
    } finally {
      await other.$disconnect();
    }
    expect(
      await classified(() =>
        h.prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe("SET LOCAL statement_timeout = '50ms'");
          await tx.$executeRawUnsafe('SELECT pg_sleep(2)');
        }),
      ),
    ).toMatchObject({ kind: 'transient', code: '57014' });
  });

  it('connection terminated by the server ⇒ unavailable 57P01', async () => {
    const victim = new PrismaClient({ adapter: new PrismaPg({ connectionString: h.db.url, max: 1, application_name: 'pis-db-errors-victim' }) });
    try {
      await victim.$queryRawUnsafe('SELECT 1');
      const c = await classified(() =>
        Promise.all([
          victim.$executeRawUnsafe('SELECT pg_sleep(5)'),
          new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
            h.prisma.$queryRawUnsafe("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pis-db-errors-victim'"),
          ),
        ]),
      );
      expect(c).toMatchObject({ kind: 'unavailable', code: '57P01' });
    } finally {
      await victim.$disconnect();
    }
  });

  it('connection refused ⇒ unavailable; pool exhausted ⇒ unavailable', async () => {
    const nowhere = createPrismaClient(`postgresql://postgres:x@127.0.0.1:${await freePort()}/none`);
    try {
      expect(await classified(() => nowhere.user.findFirst())).toMatchObject({ kind: 'unavailable', code: 'DatabaseNotReachable', prismaCode: 'P1001' });
    } finally {
      await nowhere.$disconnect();
    }
    const tiny = new PrismaClient({ adapter: new PrismaPg({ connectionString: h.db.url, max: 1, connectionTimeoutMillis: 200 }) });
    try {
      const c = await classified(() => Promise.all([tiny.$executeRawUnsafe('SELECT pg_sleep(1)'), tiny.$queryRawUnsafe('SELECT 1')]));
      expect(c).toMatchObject({ kind: 'unavailable', code: 'POOL_TIMEOUT' });
    } finally {
      await tiny.$disconnect();
    }
  });
});

describe('the API when PostgreSQL is away', () => {
  it('answers 503 DATABASE_UNAVAILABLE (problem+json) and logs the error class and code, not the message', async () => {
    const logs: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } });
    const dead = createPrismaClient(`postgresql://postgres:x@127.0.0.1:${await freePort()}/pis`);
    const deps = { ...h.deps, prisma: dead, logger, auth: createAuth(h.deps.config, dead) };
    const ok = (): Promise<void> => Promise.resolve();
    const app = createApp({ config: h.deps.config, logger, health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) }, mount: (a) => mountApiRoutes(a, deps) });
    try {
      for (const res of [
        await request(app).get('/api/cases').set(...bearer(h, 'coordinatore')),
        await request(app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport()),
        await request(app).post('/api/auth/login').send({ username: 'coordinatore', password: 'whatever-123' }),
      ]) {
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', detail: 'Database non raggiungibile: nessuna modifica registrata, riprovare' });
      }
      const errorLines = logs.map((l) => JSON.parse(l) as { msg: string; err?: Record<string, unknown> }).filter((l) => l.msg === 'database error');
      expect(errorLines.length).toBeGreaterThanOrEqual(3);
      for (const line of errorLines) {
        expect(line.err).toMatchObject({ type: 'PrismaClientKnownRequestError', code: expect.stringMatching(/^P(1001|2010)$/) as string, db: { kind: 'unavailable', code: 'DatabaseNotReachable' } });
      }
      expect(logs.join('\n')).not.toMatch(/"type":"object"|Can't reach database|Senzatetto/);
    } finally {
      await dead.$disconnect();
    }
  });
});
