import type { FhirConfig } from '../../config/fhir.config.js';
import type { EhrRegistration } from '../registry/ehr-registration.entity.js';
import type { RegistryService } from '../registry/registry.service.js';
import { SystemTokenService } from './system-token.service.js';

let registration = {
  id: 'reg-1',
  issuer: 'https://ehr.example.org/fhir',
  enabled: true,
  writeBackAuth: 'system',
  clientAuth: 'private_key_jwt',
  systemScopes: 'system/*.write',
  fhirBaseUrl: null,
  delivery: undefined,
} as unknown as EhrRegistration;

/** The token endpoint stands still until the test answers each request it received. */
class HeldTokens extends SystemTokenService {
  readonly requests: { resolve: (t: { token: string; expiresIn: number }) => void; reject: (e: Error) => void }[] = [];

  constructor() {
    const registry = { get: async () => registration } as unknown as RegistryService;
    super(registry, {} as never, {} as never, {} as never, {} as never, { requestTimeoutMs: 1000 } as FhirConfig);
  }

  override requestToken(): Promise<{ token: string; expiresIn: number }> {
    return new Promise((resolve, reject) => this.requests.push({ resolve, reject }));
  }
}

/** Until every caller has reached the token request (or the cache), without waiting on the clock. */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('system tokens', () => {
  it('shares one token request among callers that miss the cache together, then serves the cached token', async () => {
    const tokens = new HeldTokens();
    const calls = [1, 2, 3].map(() => tokens.systemConnection('reg-1'));
    await settle();
    expect(tokens.requests).toHaveLength(1);
    tokens.requests[0].resolve({ token: 'tok-1', expiresIn: 300 });
    const connections = await Promise.all(calls);
    expect(connections.map((c) => c.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
    expect((await tokens.systemConnection('reg-1')).authorization).toBe('Bearer tok-1');
    expect(tokens.requests).toHaveLength(1);
  });

  it('hands a failed request to every caller waiting on it, and the next caller asks again', async () => {
    const tokens = new HeldTokens();
    const calls = [1, 2].map(() => tokens.systemConnection('reg-1'));
    await settle();
    expect(tokens.requests).toHaveLength(1);
    tokens.requests[0].reject(new Error('token endpoint down'));
    for (const c of calls) await expect(c).rejects.toThrow('token endpoint down');
    const again = tokens.systemConnection('reg-1');
    await settle();
    expect(tokens.requests).toHaveLength(2);
    tokens.requests[1].resolve({ token: 'tok-2', expiresIn: 300 });
    expect((await again).authorization).toBe('Bearer tok-2');
  });

  it('never hands out a token asked with other scopes (an admin added Task update): the cache is keyed by the scopes asked', async () => {
    const before = registration;
    const tokens = new HeldTokens();
    try {
      const first = tokens.systemConnection('reg-1');
      await settle();
      tokens.requests[0].resolve({ token: 'tok-without-task', expiresIn: 300 });
      await first;
      registration = { ...before, systemScopes: 'system/*.write system/Task.cru' } as EhrRegistration;
      const widened = tokens.systemConnection('reg-1');
      await settle();
      expect(tokens.requests).toHaveLength(2);
      tokens.requests[1].resolve({ token: 'tok-with-task', expiresIn: 300 });
      expect((await widened).authorization).toBe('Bearer tok-with-task');
      // Back to the old scopes: that token is still cached for them.
      registration = before;
      expect((await tokens.systemConnection('reg-1')).authorization).toBe('Bearer tok-without-task');
      expect(tokens.requests).toHaveLength(2);
    } finally {
      registration = before;
    }
  });

  it('asks again after invalidate (the EHR answered 401)', async () => {
    const tokens = new HeldTokens();
    const first = tokens.systemConnection('reg-1');
    await settle();
    tokens.requests[0].resolve({ token: 'tok-1', expiresIn: 300 });
    await first;
    tokens.invalidate('reg-1');
    const second = tokens.systemConnection('reg-1');
    await settle();
    expect(tokens.requests).toHaveLength(2);
    tokens.requests[1].resolve({ token: 'tok-2', expiresIn: 300 });
    expect((await second).authorization).toBe('Bearer tok-2');
  });
});
