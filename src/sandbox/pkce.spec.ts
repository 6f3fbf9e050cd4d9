import { isValidS256Challenge, isValidVerifier, s256Challenge, verifyPkce } from './pkce.js';

describe('PKCE (S256)', () => {
  // The example from RFC 7636, appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('computes the RFC 7636 example challenge', () => {
    expect(s256Challenge(verifier)).toBe(challenge);
    expect(isValidS256Challenge(challenge)).toBe(true);
  });

  it('accepts the matching verifier and refuses any other', () => {
    expect(verifyPkce(verifier, challenge)).toBe(true);
    expect(verifyPkce(`${verifier.slice(0, -1)}Y`, challenge)).toBe(false);
    expect(verifyPkce(undefined, challenge)).toBe(false);
  });

  it('refuses verifiers that are too short, too long or use other characters', () => {
    expect(isValidVerifier('short')).toBe(false);
    expect(isValidVerifier('a'.repeat(129))).toBe(false);
    expect(isValidVerifier(`${'a'.repeat(42)}+`)).toBe(false);
    expect(isValidVerifier('a'.repeat(43))).toBe(true);
  });

  it('refuses a plain challenge that is not a digest', () => {
    expect(isValidS256Challenge('plain-text-challenge')).toBe(false);
  });
});
