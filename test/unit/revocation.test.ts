import { InvalidTokenError } from '../../src/api/auth';
import { RevocationChecker, USER_STATE_MAX_TTL_MS, type UserTokenState, UserStateCache } from '../../src/api/auth/revocation';
import { HmacTokenService } from '../../src/api/auth/tokens';

/**
 * Revocation of built-in tokens: the user's state (active, token version, deny-listed jtis) is
 * checked on every request, from a per-process cache of at most 30 s. The "database" here is an
 * in-memory map with a load counter; the clock is injected.
 */

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

function world() {
  const db = new Map<string, UserTokenState>();
  let loads = 0;
  let clock = 1_000_000;
  const load = (userId: string) => {
    loads += 1;
    const row = db.get(userId);
    return Promise.resolve(row === undefined ? null : { ...row, revokedJtis: new Set(row.revokedJtis) });
  };
  const processCache = () => new UserStateCache({ load, now: () => clock });
  const tokens = new HmacTokenService(SECRET, 600, 3600);
  const processA = new RevocationChecker(tokens, processCache());
  const processB = new RevocationChecker(tokens, processCache());
  db.set('u-op1', { active: true, tokenVersion: 0, role: 'emergency_operator', comuneCode: null, ambitoIds: ['rhodense'], revokedJtis: new Set() });
  return {
    db,
    tokens,
    processA,
    processB,
    loads: () => loads,
    advance: (ms: number) => {
      clock += ms;
    },
    update: (patch: Partial<UserTokenState>) => db.set('u-op1', { ...(db.get('u-op1') as UserTokenState), ...patch }),
    issue: (ver = 0) => tokens.issue({ userId: 'u-op1', role: 'emergency_operator' }, ver).then((t) => t.token),
  };
}

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof InvalidTokenError ? err.reason : 'other';
  }
}

describe('RevocationChecker', () => {
  it('accepts a token of an active user at the current version, reading the user once per window', async () => {
    const w = world();
    const token = await w.issue();
    for (let i = 0; i < 5; i += 1) expect((await w.processA.verifyClaims(token)).actor.userId).toBe('u-op1');
    expect(w.loads()).toBe(1);
    w.advance(USER_STATE_MAX_TTL_MS);
    await w.processA.verifyClaims(token);
    expect(w.loads()).toBe(2);
  });

  it('refuses the token of a disabled user within 30 s in another process, and at once after the window', async () => {
    const w = world();
    const token = await w.issue();
    await w.processB.verifyClaims(token);
    w.update({ active: false, tokenVersion: 1 });
    w.advance(USER_STATE_MAX_TTL_MS - 1);
    // Still in B's window: at most 30 s of access after revocation.
    expect(await reasonOf(w.processB.verifyClaims(token))).toBeUndefined();
    w.advance(1);
    expect(await reasonOf(w.processB.verifyClaims(token))).toBe('revoked');
    // A process that had not seen the user refuses at once.
    expect(await reasonOf(w.processA.verifyClaims(token))).toBe('revoked');
  });

  it('refuses a disabled user even when the version was not bumped', async () => {
    const w = world();
    const token = await w.issue();
    w.update({ active: false });
    expect(await reasonOf(w.processA.verifyClaims(token))).toBe('revoked');
  });

  it('refuses tokens of an older version (password change, logout everywhere) and accepts the new one', async () => {
    const w = world();
    const old = await w.issue(0);
    w.update({ tokenVersion: 1 });
    expect(await reasonOf(w.processA.verifyClaims(old))).toBe('revoked');
    expect(await reasonOf(w.processA.verifyClaims(await w.issue(1)))).toBeUndefined();
  });

  it('refuses a token naming a user that does not exist', async () => {
    const w = world();
    const token = (await w.tokens.issue({ userId: 'u-ghost', role: 'coordinator' })).token;
    expect(await reasonOf(w.processA.verifyClaims(token))).toBe('invalid');
  });

  it('refuses a token whose role or Comune no longer matches the user', async () => {
    const w = world();
    const token = await w.issue();
    w.update({ role: 'coordinator' });
    expect(await reasonOf(w.processA.verifyClaims(token))).toBe('revoked');
  });

  it('logout: the process that revoked refuses at once, another within its window; other tokens of the user still work', async () => {
    const w = world();
    const token = await w.issue();
    const otherDevice = await w.issue();
    await w.processA.verifyClaims(token);
    await w.processB.verifyClaims(token);
    const claims = await w.processA.verifyClaims(token);
    // What the logout does: deny-list row first, then tell this process.
    w.update({ revokedJtis: new Set([claims.jti]) });
    w.processA.revokedHere(claims);
    expect(await reasonOf(w.processA.verifyClaims(token))).toBe('revoked');
    expect(await reasonOf(w.processB.verifyClaims(token))).toBeUndefined();
    w.advance(USER_STATE_MAX_TTL_MS);
    expect(await reasonOf(w.processB.verifyClaims(token))).toBe('revoked');
    expect(await reasonOf(w.processA.verifyClaims(otherDevice))).toBeUndefined();
    expect(await reasonOf(w.processB.verifyClaims(otherDevice))).toBeUndefined();
  });
});

describe('Ambiti of the actor', () => {
  it('come from the user state, not the token: a change applies at once where the user is forgotten, elsewhere within the window', async () => {
    const w = world();
    const token = await w.issue();
    expect((await w.processA.verifyClaims(token)).actor.ambitoIds).toEqual(['rhodense']);
    expect((await w.processB.verifyClaims(token)).actor.ambitoIds).toEqual(['rhodense']);
    w.update({ ambitoIds: ['bollatese'] });
    w.processA.users.forget('u-op1');
    expect((await w.processA.verifyClaims(token)).actor.ambitoIds).toEqual(['bollatese']);
    expect((await w.processB.verifyClaims(token)).actor.ambitoIds).toEqual(['rhodense']);
    w.advance(USER_STATE_MAX_TTL_MS);
    expect((await w.processB.verifyClaims(token)).actor.ambitoIds).toEqual(['bollatese']);
  });
});

describe('UserStateCache', () => {
  const state: UserTokenState = { active: true, tokenVersion: 0, role: 'admin', comuneCode: null, ambitoIds: ['rhodense'], revokedJtis: new Set() };

  it('never reuses a state longer than 30 s, whatever it is configured with', async () => {
    let clock = 0;
    let loads = 0;
    const cache = new UserStateCache({ load: () => Promise.resolve((loads += 1, state)), ttlMs: 3_600_000, now: () => clock });
    await cache.get('u');
    clock = USER_STATE_MAX_TTL_MS;
    await cache.get('u');
    expect(loads).toBe(2);
  });

  it('is bounded: the oldest user is dropped first', async () => {
    const loaded: string[] = [];
    const cache = new UserStateCache({ load: (id) => Promise.resolve((loaded.push(id), state)), maxEntries: 2, now: () => 0 });
    for (const id of ['a', 'b', 'c', 'b', 'a']) await cache.get(id);
    expect(cache.size).toBe(2);
    expect(loaded).toEqual(['a', 'b', 'c', 'a']);
  });

  it('shares one load among concurrent requests, and a user forgotten meanwhile is read again', async () => {
    let loads = 0;
    let release: () => void = () => undefined;
    const cache = new UserStateCache({
      load: () => {
        loads += 1;
        return new Promise((resolve) => {
          release = () => resolve(state);
        });
      },
      now: () => 0,
    });
    const both = Promise.all([cache.get('u'), cache.get('u')]);
    cache.forget('u');
    release();
    await both;
    expect(loads).toBe(1);
    const again = cache.get('u');
    release();
    await again;
    expect(loads).toBe(2);
  });
});
