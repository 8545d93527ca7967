import { SignJWT } from 'jose';
import { HmacTokenService, InvalidTokenError } from '../../src/api/auth/tokens';

/** The built-in token service remembers verified tokens only until they expire. */

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

afterEach(() => {
  jest.useRealTimers();
});

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof InvalidTokenError ? err.reason : 'other';
  }
}

describe('HmacTokenService', () => {
  it('accepts a remembered token until its expiry, then refuses it as expired', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-22T03:00:00Z') });
    const service = new HmacTokenService(SECRET, 60);
    const { token } = await service.issue({ userId: 'u-op1', role: 'emergency_operator' });
    expect(await service.verify(token)).toEqual({ userId: 'u-op1', role: 'emergency_operator' });
    jest.setSystemTime(new Date('2026-11-22T03:00:59Z'));
    expect(await service.verify(token)).toEqual({ userId: 'u-op1', role: 'emergency_operator' });
    jest.setSystemTime(new Date('2026-11-22T03:01:01Z'));
    expect(await reasonOf(service.verify(token))).toBe('expired');
    expect(await reasonOf(service.verify(token))).toBe('expired');
  });

  it('still refuses a tampered copy of a remembered token, and callers cannot change what it remembers', async () => {
    const service = new HmacTokenService(SECRET, 60);
    const { token } = await service.issue({ userId: 'u-sw-rho', role: 'social_worker', comuneCode: '015182' });
    const actor = await service.verify(token);
    actor.role = 'admin';
    expect(await service.verify(token)).toEqual({ userId: 'u-sw-rho', role: 'social_worker', comuneCode: '015182' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await reasonOf(service.verify(forged))).toBe('invalid');
    const other = new HmacTokenService(`${SECRET}-other`, 60);
    expect(await reasonOf(other.verify(token))).toBe('invalid');
  });
});

describe('HmacTokenService: lifetime and required claims', () => {
  const key = new TextEncoder().encode(SECRET);
  const sign = (claims: Record<string, unknown>, { iat, exp }: { iat?: number; exp: number }) => {
    const jwt = new SignJWT({ role: 'coordinator', ver: 0, ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-coord').setIssuer('pis-api').setAudience('pis-api').setExpirationTime(exp);
    if (iat !== undefined) jwt.setIssuedAt(iat);
    return jwt.sign(key);
  };
  const now = () => Math.floor(Date.now() / 1000);

  it('issues a jti, the token version and iat, and reads them back', async () => {
    const service = new HmacTokenService(SECRET, 600, 3600);
    const { token } = await service.issue({ userId: 'u-coord', role: 'coordinator' }, 7);
    const claims = await service.verifyClaims(token);
    expect(claims).toMatchObject({ actor: { userId: 'u-coord', role: 'coordinator' }, ver: 7, jti: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown });
    expect(claims.exp - claims.iat).toBe(600);
    const other = await service.verifyClaims((await service.issue({ userId: 'u-coord', role: 'coordinator' })).token);
    expect(other.jti).not.toBe(claims.jti);
  });

  it('refuses a correctly signed token living longer than the maximum TTL', async () => {
    const service = new HmacTokenService(SECRET, 600, 3600);
    expect(await reasonOf(service.verifyClaims(await sign({ jti: 'j1' }, { iat: now(), exp: now() + 3600 })))).toBeUndefined();
    expect(await reasonOf(service.verifyClaims(await sign({ jti: 'j2' }, { iat: now(), exp: now() + 3601 })))).toBe('invalid');
    expect(await reasonOf(service.verifyClaims(await sign({ jti: 'j3' }, { iat: now() - 30 * 86400, exp: now() + 60 })))).toBe('invalid');
  });

  it.each([
    ['without iat', { jti: 'j4' }, undefined],
    ['without jti', {}, 0],
    ['without a token version', { jti: 'j5', ver: undefined }, 0],
    ['with a negative token version', { jti: 'j6', ver: -1 }, 0],
  ])('refuses a token %s', async (_label, claims, iatOffset) => {
    const service = new HmacTokenService(SECRET, 600, 3600);
    const token = await sign(claims, { iat: iatOffset === undefined ? undefined : now() + iatOffset, exp: now() + 600 });
    expect(await reasonOf(service.verifyClaims(token))).toBe('invalid');
  });

  it('refuses a token issued in the future (beyond a minute of skew)', async () => {
    const service = new HmacTokenService(SECRET, 600, 3600);
    expect(await reasonOf(service.verifyClaims(await sign({ jti: 'j7' }, { iat: now() + 3000, exp: now() + 3300 })))).toBe('invalid');
  });

  it('will not issue tokens longer than its maximum', () => {
    expect(() => new HmacTokenService(SECRET, 7200, 3600)).toThrow(/maximum/);
  });
});
