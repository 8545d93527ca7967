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
