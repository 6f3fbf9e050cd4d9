import { randomBytes } from 'node:crypto';
import { TokenCipher } from './token-cipher.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('TokenCipher', () => {
  it('round-trips and never contains the plaintext', () => {
    const c = new TokenCipher([k1]);
    const sealed = c.encrypt('access-token-value');
    expect(sealed).not.toContain('access-token-value');
    expect(c.decrypt(sealed)).toBe('access-token-value');
  });

  it('uses a fresh IV each time', () => {
    const c = new TokenCipher([k1]);
    expect(c.encrypt('same')).not.toBe(c.encrypt('same'));
  });

  it('decrypts with an older key after rotation and flags the value as stale', () => {
    const old = new TokenCipher([k1]).encrypt('secret');
    const rotated = new TokenCipher([k2, k1]);
    expect(rotated.decrypt(old)).toBe('secret');
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('secret'))).toBe(false);
  });

  it('refuses a tampered value and an unknown key', () => {
    const c = new TokenCipher([k1]);
    const sealed = c.encrypt('secret');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => c.decrypt(parts.join('.'))).toThrow();
    expect(() => new TokenCipher([k2]).decrypt(sealed)).toThrow(/unknown/);
  });
});
