import { ConfigError } from '../config/config-error.js';
import { validateAllConfig } from '../config/index.js';
import { sandboxEnabled } from './sandbox-enabled.js';
import { SandboxModule } from './sandbox.module.js';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const REAL = JSON.stringify([{ issuer: 'https://ehr.example/fhir', name: 'Clinic EHR', clientId: 'als-wellness', clientAuth: 'private_key_jwt', frameAncestors: [] }]);

/** What a refused configuration's module throws when Nest instantiates it (undefined when nothing is refused). */
function refusal(env: NodeJS.ProcessEnv): unknown {
  for (const p of SandboxModule.register(env).providers ?? []) {
    const factory = (p as { useFactory?: () => unknown }).useFactory;
    if (!factory) continue;
    try {
      factory();
    } catch (e) {
      return e;
    }
  }
  return undefined;
}

describe('sandboxEnabled', () => {
  it.each([
    ['on', false, true],
    ['off', false, false],
    ['off', true, false],
    ['auto', false, true],
    ['auto', true, false],
  ] as const)('SANDBOX=%s, production=%s → %s', (sandbox, production, expected) => {
    expect(sandboxEnabled({ sandbox }, { production })).toBe(expected);
  });

  it('stays off in auto mode, and refuses SANDBOX=on, while EHR_REGISTRATIONS configures real EHRs', () => {
    const real = [{ issuer: 'https://ehr.example/fhir' }];
    expect(sandboxEnabled({ sandbox: 'auto', ehrRegistrations: real }, { production: false })).toBe(false);
    expect(() => sandboxEnabled({ sandbox: 'on', ehrRegistrations: real }, { production: false })).toThrow(ConfigError);
  });

  it('refuses SANDBOX=on in production: the boot stops naming SANDBOX (config itself knows no sandbox)', () => {
    expect(() => sandboxEnabled({ sandbox: 'on' }, { production: true })).toThrow(ConfigError);
    // config/ only checks the value; the sandbox's module is where the refusal stops the boot.
    expect(() => validateAllConfig({ NODE_ENV: 'production', SANDBOX: 'on', TOKEN_ENCRYPTION_KEYS: KEY })).not.toThrow();
    const error = refusal({ NODE_ENV: 'production', SANDBOX: 'on', TOKEN_ENCRYPTION_KEYS: KEY });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('SANDBOX');
    expect((refusal({ NODE_ENV: 'development', SANDBOX: 'on', EHR_REGISTRATIONS: REAL }) as ConfigError).variable).toBe('SANDBOX');
    expect(refusal({ NODE_ENV: 'production', SANDBOX: 'auto', TOKEN_ENCRYPTION_KEYS: KEY })).toBeUndefined();
  });
});

describe('SandboxModule.register', () => {
  it('mounts the sandbox outside production and nothing when disabled or refused', () => {
    expect(SandboxModule.register({ NODE_ENV: 'test' }).controllers?.length).toBeGreaterThan(0);
    expect(SandboxModule.register({ NODE_ENV: 'production' }).controllers).toBeUndefined();
    expect(SandboxModule.register({ NODE_ENV: 'development', EHR_REGISTRATIONS: REAL }).controllers).toBeUndefined();
    expect(SandboxModule.register({ NODE_ENV: 'development', SANDBOX: 'off' }).controllers).toBeUndefined();
    expect(SandboxModule.register({ NODE_ENV: 'production', SANDBOX: 'on' }).controllers).toBeUndefined();
    expect(SandboxModule.register({ SANDBOX: 'maybe' }).controllers).toBeUndefined();
  });

  it('brings no tables where it is not mounted (its entities join the data source only through its forFeature)', () => {
    expect(SandboxModule.register({ NODE_ENV: 'production' }).imports ?? []).toEqual([]);
    expect(SandboxModule.register({ NODE_ENV: 'test' }).imports?.length).toBe(1);
  });
});
