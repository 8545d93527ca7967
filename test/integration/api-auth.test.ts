import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { SignJWT } from 'jose';
import request from 'supertest';
import { changePassword, createAuth, hashPassword, setUserActive } from '../../src/api/auth';
import { accountKey } from '../../src/api/auth/lockout';
import { type ApiHarness, startApiHarness, TEST_SECRET } from './api-harness';

/**
 * Revocation and lockout through the real API on PostgreSQL. Several "API processes" are several
 * apps, each with its own `createAuth` (own caches), on one database. The user-state cache clock
 * is injected, so the 30 s window is crossed without sleeping.
 */

let h: ApiHarness;
let seq = 0;

beforeAll(async () => {
  h = await startApiHarness('auth', { worker: false });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

interface Process {
  app: Express;
  advance(ms: number): void;
}

/** Another API process on the same database: own token/user caches, own clock for them. */
function apiProcess(): Process {
  let clock = Date.now();
  const auth = createAuth(h.deps.config, h.prisma, { now: () => clock });
  return {
    app: h.appWith({ auth }),
    advance: (ms) => {
      clock += ms;
    },
  };
}

async function newUser(password = 'a-long-password-1234'): Promise<{ id: string; username: string; password: string }> {
  seq += 1;
  const id = `u-test-${seq}-${Date.now()}`;
  const username = `test.user${seq}.${Date.now()}`;
  await h.prisma.user.create({ data: { id, username, displayName: 'Utente di prova', passwordHash: await hashPassword(password), role: 'emergency_operator' } });
  return { id, username, password };
}

async function login(app: Express, username: string, password: string): Promise<string> {
  const res = await request(app).post('/api/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  return (res.body as { token: string }).token;
}

const me = (app: Express, token: string) => request(app).get('/api/auth/me').set('Authorization', `Bearer ${token}`);

describe('revocation', () => {
  it('a disabled user: refused at once by a process that had not seen them, by the others within 30 s', async () => {
    const user = await newUser();
    const b = apiProcess();
    const token = await login(h.app, user.username, user.password);
    expect((await me(b.app, token)).status).toBe(200);

    expect(await setUserActive(h.prisma, user.id, false)).toBe(true);
    const fresh = apiProcess();
    const refused = await me(fresh.app, token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringMatching(/revocata/) as unknown });
    // B read the user before the change: it may go on for the rest of its window, never longer.
    expect((await me(b.app, token)).status).toBe(200);
    b.advance(30_000);
    expect((await me(b.app, token)).status).toBe(401);

    // Disabled: no login either; enabled again: the old token stays dead, a new login works.
    expect((await request(h.app).post('/api/auth/login').send({ username: user.username, password: user.password })).status).toBe(401);
    await setUserActive(h.prisma, user.id, true);
    b.advance(30_000);
    expect((await me(b.app, token)).status).toBe(401);
    expect((await me(b.app, await login(h.app, user.username, user.password))).status).toBe(200);
  });

  it('a password change revokes every token of the user; the new password logs in', async () => {
    const user = await newUser();
    const token = await login(h.app, user.username, user.password);
    expect(await changePassword(h.prisma, user.id, 'another-long-password-5678')).toBe(true);
    expect((await me(apiProcess().app, token)).status).toBe(401);
    expect((await request(h.app).post('/api/auth/login').send({ username: user.username, password: user.password })).status).toBe(401);
    expect((await me(h.app, await login(h.app, user.username, 'another-long-password-5678'))).status).toBe(200);
    await expect(changePassword(h.prisma, user.id, 'short')).rejects.toThrow(RangeError);
    expect(await changePassword(h.prisma, 'u-nobody', 'another-long-password-5678')).toBe(false);
  });

  it('logout: the same token answers 401 at once in that process, within 30 s elsewhere; the other devices stay in', async () => {
    const user = await newUser();
    const a = apiProcess();
    const b = apiProcess();
    const token = await login(a.app, user.username, user.password);
    const otherDevice = await login(a.app, user.username, user.password);
    expect((await me(a.app, token)).status).toBe(200);
    expect((await me(b.app, token)).status).toBe(200);

    const out = await request(a.app).post('/api/auth/logout').set('Authorization', `Bearer ${token}`);
    expect(out.status).toBe(204);
    expect((await me(a.app, token)).status).toBe(401);
    expect((await request(a.app).post('/api/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await me(apiProcess().app, token)).status).toBe(401);
    b.advance(30_000);
    expect((await me(b.app, token)).status).toBe(401);
    expect((await me(a.app, otherDevice)).status).toBe(200);
    expect((await me(b.app, otherDevice)).status).toBe(200);
    expect(await h.prisma.auditEvent.count({ where: { action: 'auth.logout', userId: user.id, outcome: 'success' } })).toBe(1);
  });

  it('logout everywhere: every token of the user answers 401 at once in that process', async () => {
    const user = await newUser();
    const a = apiProcess();
    const tokens = [await login(a.app, user.username, user.password), await login(a.app, user.username, user.password)];
    for (const t of tokens) expect((await me(a.app, t)).status).toBe(200);
    expect((await request(a.app).post('/api/auth/logout-all').set('Authorization', `Bearer ${tokens[0] as string}`)).status).toBe(204);
    for (const t of tokens) expect((await me(a.app, t)).status).toBe(401);
    expect((await me(a.app, await login(a.app, user.username, user.password))).status).toBe(200);
  });

  it('logout needs a valid token', async () => {
    expect((await request(h.app).post('/api/auth/logout')).status).toBe(401);
    expect((await request(h.app).post('/api/auth/logout').set('Authorization', 'Bearer not-a-token')).status).toBe(401);
  });

  it('refuses a well-signed token naming a user that does not exist', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ role: 'admin', ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-ghost')
      .setJti('ghost-1')
      .setIssuer('pis-api')
      .setAudience('pis-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(TEST_SECRET));
    const res = await request(h.app).get('/api/supervision/summary').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });
});

/** A login over a real socket from a chosen loopback address (the limiter keys on the TCP peer). */
async function loginFrom(app: Express, localAddress: string, username: string, password: string) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    const { port } = server.address() as AddressInfo;
    const payload = JSON.stringify({ username, password });
    return await new Promise<{ status: number; retryAfter?: string; body: Record<string, unknown> }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/auth/login', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Connection: 'close' } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: JSON.parse(text) as Record<string, unknown> }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('per-account lockout', () => {
  it('five failures on one process lock the account on another process and from another address; colleagues on the first address still log in', async () => {
    const user = await newUser();
    const a = apiProcess();
    const b = apiProcess();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await loginFrom(a.app, '127.0.0.1', user.username, `wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);

    for (const [app, address] of [
      [a.app, '127.0.0.1'],
      [b.app, '127.0.0.2'],
    ] as const) {
      const locked = await loginFrom(app, address, user.username, user.password);
      expect(locked.status).toBe(429);
      expect(Number(locked.retryAfter)).toBeGreaterThan(0);
      expect(Number(locked.retryAfter)).toBeLessThanOrEqual(60);
      expect(locked.body).toMatchObject({ code: 'ACCOUNT_LOCKED', detail: expect.stringMatching(/^Troppi tentativi di accesso non riusciti per questo nome utente: riprovare tra 1 minuto$/) as unknown });
    }
    // Another user behind the same address is not affected.
    expect((await loginFrom(a.app, '127.0.0.1', 'operatore2', 'demo-operatore2-pis')).status).toBe(200);
  });

  it('answers an unknown username exactly like an existing one (no enumeration), and stores no username', async () => {
    const user = await newUser();
    const ghost = `ghost.${Date.now()}`;
    const run = async (username: string, finalPassword: string) => {
      const out: Array<{ status: number; detail: unknown; code: unknown }> = [];
      for (let i = 0; i < 6; i += 1) {
        const res = await request(h.app).post('/api/auth/login').send({ username, password: i === 5 ? finalPassword : `wrong-${i}` });
        out.push({ status: res.status, detail: (res.body as { detail?: unknown }).detail, code: (res.body as { code?: unknown }).code });
      }
      return out;
    };
    const real = await run(user.username, user.password);
    expect(real.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await run(ghost, 'whatever-password')).toEqual(real);

    const rows = await h.prisma.loginThrottle.findMany();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(user.username);
    expect(dump).not.toContain(ghost);
    expect(rows.map((r) => r.accountKey)).toEqual(expect.arrayContaining([accountKey(TEST_SECRET, user.username), accountKey(TEST_SECRET, ghost)]));
  });

  it('backs off: a failure after the lock ends locks for twice as long; a success clears the count', async () => {
    const user = await newUser();
    const key = accountKey(TEST_SECRET, user.username);
    const expireLock = () => h.prisma.$executeRaw`UPDATE "LoginThrottle" SET "lockedUntil" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE "accountKey" = ${key}`;
    for (let i = 0; i < 5; i += 1) await request(h.app).post('/api/auth/login').send({ username: user.username, password: 'wrong' });
    await expireLock();
    expect((await request(h.app).post('/api/auth/login').send({ username: user.username, password: 'wrong' })).status).toBe(401);
    const second = await request(h.app).post('/api/auth/login').send({ username: user.username, password: user.password });
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(second.headers['retry-after'])).toBeLessThanOrEqual(120);

    await expireLock();
    expect((await request(h.app).post('/api/auth/login').send({ username: user.username, password: user.password })).status).toBe(200);
    expect(await h.prisma.loginThrottle.findUnique({ where: { accountKey: key } })).toBeNull();
    expect((await request(h.app).post('/api/auth/login').send({ username: user.username, password: 'wrong' })).status).toBe(401);
    expect(await h.prisma.loginThrottle.findUnique({ where: { accountKey: key } })).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it('the username is matched without regard to case for the lock', async () => {
    const user = await newUser();
    for (let i = 0; i < 5; i += 1) await request(h.app).post('/api/auth/login').send({ username: i % 2 ? user.username.toUpperCase() : user.username, password: 'wrong' });
    expect((await request(h.app).post('/api/auth/login').send({ username: user.username, password: user.password })).status).toBe(429);
  });
});
