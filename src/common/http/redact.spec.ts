import { redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('hides one-time codes, state and tokens but keeps the issuer and path', () => {
    const out = redactUrl('/smart/callback?code=abc123&state=xyz&iss=https%3A%2F%2Fehr.example%2Ffhir');
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('xyz');
    expect(out).toContain('/smart/callback?');
    expect(out).toContain('iss=https%3A%2F%2Fehr.example%2Ffhir');
  });

  it('leaves a URL without a query alone', () => {
    expect(redactUrl('/health/live')).toBe('/health/live');
  });
});
