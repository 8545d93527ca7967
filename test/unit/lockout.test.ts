import { accountKey, DEFAULT_LOCKOUT_POLICY, lockSecondsAfter } from '../../src/api/auth/lockout';

describe('per-account lockout', () => {
  it('locks from the 5th failure for 1, 2, 4, 8 minutes, then at most 15', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 10_000].map((n) => lockSecondsAfter(n))).toEqual([0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900, 900]);
  });

  it('follows the policy it is given', () => {
    const policy = { ...DEFAULT_LOCKOUT_POLICY, threshold: 2, baseSeconds: 10, maxSeconds: 35 };
    expect([1, 2, 3, 4, 5].map((n) => lockSecondsAfter(n, policy))).toEqual([0, 10, 20, 35, 35]);
  });

  it('keys accounts by a keyed hash of the normalised username, never the name itself', () => {
    const secret = 's'.repeat(40);
    const key = accountKey(secret, 'Mario.Rossi');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('mario');
    expect(accountKey(secret, ' mario.rossi ')).toBe(key);
    // NFC: a decomposed "è" is the same name.
    expect(accountKey(secret, 'Jos\u0065\u0300')).toBe(accountKey(secret, 'jos\u00e8'));
    expect(accountKey(secret, 'mario.rossi2')).not.toBe(key);
    expect(accountKey('t'.repeat(40), 'mario.rossi')).not.toBe(key);
  });
});
