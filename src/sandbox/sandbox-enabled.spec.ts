import { ConfigError } from '../config/config-error.js';
import { validateAllConfig } from '../config/index.js';
import { sandboxEnabled, sandboxMounted } from './sandbox-enabled.js';
import { SandboxModule } from './sandbox.module.js';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

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

  it('refuses SANDBOX=on in production, and validateAllConfig stops the service naming SANDBOX', () => {
    expect(() => sandboxEnabled({ sandbox: 'on' }, { production: true })).toThrow(ConfigError);
    expect(sandboxMounted({ sandbox: 'on' }, { production: true })).toBe(false);
    let error: unknown;
    try {
      validateAllConfig({ NODE_ENV: 'production', SANDBOX: 'on', TOKEN_ENCRYPTION_KEYS: KEY });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('SANDBOX');
    expect(() => validateAllConfig({ NODE_ENV: 'production', SANDBOX: 'auto', TOKEN_ENCRYPTION_KEYS: KEY })).not.toThrow();
  });
});

describe('SandboxModule.register', () => {
  it('mounts the sandbox outside production and nothing when disabled or refused', () => {
    expect(SandboxModule.register({ NODE_ENV: 'test' }).controllers?.length).toBeGreaterThan(0);
    expect(SandboxModule.register({ NODE_ENV: 'production' }).controllers).toBeUndefined();
    expect(SandboxModule.register({ NODE_ENV: 'development', SANDBOX: 'off' }).controllers).toBeUndefined();
    expect(SandboxModule.register({ NODE_ENV: 'production', SANDBOX: 'on' }).controllers).toBeUndefined();
    expect(SandboxModule.register({ SANDBOX: 'maybe' }).controllers).toBeUndefined();
  });
});
