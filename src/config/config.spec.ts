import { ConfigError } from './config-error.js';
import { loadDatabaseConfig } from './database.config.js';
import { loadFhirConfig } from './fhir.config.js';
import { loadHttpConfig } from './http.config.js';
import { DEFAULT_CRISIS_MESSAGE, DEFAULT_CRISIS_MESSAGE_ES, loadSafetyConfig } from './safety.config.js';
import { loadSecurityConfig } from './security.config.js';
import { validateAllConfig } from './index.js';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults for every area', () => {
    const env = { TOKEN_ENCRYPTION_KEYS: KEY };
    expect(loadDatabaseConfig(env)).toMatchObject({ url: undefined, dataDir: '.data', schema: 'public', poolIdleMs: 600_000 });
    expect(loadHttpConfig(env)).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000', bodyLimitBytes: 1048576, corsOrigins: [] });
    expect(loadFhirConfig(env)).toMatchObject({ sandbox: 'auto' });
    expect(loadSecurityConfig(env).encryptionKeys[0].id).toBe('k1');
    expect(loadSafetyConfig(env)).toEqual({
      escalateAfterMinutes: 60, crisisMessage: DEFAULT_CRISIS_MESSAGE, crisisMessageEs: DEFAULT_CRISIS_MESSAGE_ES, escalationWorker: true, escalationPollMs: 60_000,
    });
  });

  it('gives a crisis text that names no country and tells the person the care team knows', () => {
    expect(DEFAULT_CRISIS_MESSAGE).toMatch(/local emergency number or a crisis line/);
    expect(DEFAULT_CRISIS_MESSAGE).toMatch(/care team has been notified/);
    expect(DEFAULT_CRISIS_MESSAGE).not.toMatch(/\d{3}/);
    // Its Spanish default says the same, and names no number either.
    expect(DEFAULT_CRISIS_MESSAGE_ES).toMatch(/número de emergencias de su zona o con una línea de crisis/);
    expect(DEFAULT_CRISIS_MESSAGE_ES).toMatch(/Se ha avisado a su equipo de atención/);
    expect(DEFAULT_CRISIS_MESSAGE_ES).not.toMatch(/\d/);
  });

  it("takes the clinic's own Spanish crisis text, and never puts the default Spanish text beside its own English one", () => {
    const es = '  Llame a la línea de la clínica, 0000 000 000, o a su número de emergencias.  ';
    expect(loadSafetyConfig({ SAFETY_CRISIS_MESSAGE_ES: es })).toMatchObject({ crisisMessage: DEFAULT_CRISIS_MESSAGE, crisisMessageEs: es.trim() });
    const own = "Call the clinic's 24-hour line on 0000 000 000, or your emergency number.";
    expect(loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: own, SAFETY_CRISIS_MESSAGE_ES: es })).toMatchObject({ crisisMessage: own, crisisMessageEs: es.trim() });
    // The clinic's English text names its own lines: a Spanish reader gets that text, not a default without them.
    expect(loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: own })).toMatchObject({ crisisMessage: own, crisisMessageEs: null });
    expect(loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: own, SAFETY_CRISIS_MESSAGE_ES: '' })).toMatchObject({ crisisMessageEs: null });
  });

  it('keeps the Spanish default when SAFETY_CRISIS_MESSAGE is set to the default English text itself', () => {
    expect(loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: DEFAULT_CRISIS_MESSAGE })).toMatchObject({ crisisMessage: DEFAULT_CRISIS_MESSAGE, crisisMessageEs: DEFAULT_CRISIS_MESSAGE_ES });
    // As a deployment file writes it: spaces around, a line break inside.
    const wrapped = `  ${DEFAULT_CRISIS_MESSAGE.replace(' a crisis line', '\n  a crisis line')}  `;
    expect(loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: wrapped })).toMatchObject({ crisisMessageEs: DEFAULT_CRISIS_MESSAGE_ES });
    // One word changed is the clinic's own text: no default Spanish beside it.
    expect(loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: DEFAULT_CRISIS_MESSAGE.replace('now', 'today') })).toMatchObject({ crisisMessageEs: null });
  });

  it("takes the clinic's own crisis text and escalation delay", () => {
    const cfg = loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: "  Call the clinic's 24-hour line on 0000 000 000, or your emergency number.  ", SAFETY_ESCALATE_AFTER_MINUTES: '30' });
    expect(cfg).toMatchObject({ crisisMessage: "Call the clinic's 24-hour line on 0000 000 000, or your emergency number.", escalateAfterMinutes: 30 });
  });

  it.each([
    ['DATABASE_URL', 'not-a-url'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'ftp://x'],
    ['BODY_LIMIT_BYTES', '-1'],
    ['SANDBOX', 'maybe'],
    ['OUTBOX_WORKER', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['TOKEN_ENCRYPTION_KEYS', 'k1:tooshort'],
    ['DB_SCHEMA', 'Robert; DROP'],
    ['SAFETY_ESCALATE_AFTER_MINUTES', '-5'],
    ['SAFETY_ESCALATE_AFTER_MINUTES', 'soon'],
    ['SAFETY_CRISIS_MESSAGE', 'call'],
    ['SAFETY_CRISIS_MESSAGE_ES', 'llame'],
    ['SAFETY_ESCALATION_WORKER', 'maybe'],
    ['IDLE_GC_SECONDS', 'soon'],
    ['IDLE_GC_SECONDS', '-1'],
    ['IDLE_GC_SECONDS', '2.5'],
  ])('names %s when it is %s', (name, value) => {
    const err = errorOf(() => validateAllConfig({ TOKEN_ENCRYPTION_KEYS: KEY, [name]: value }));
    expect(err.variable).toBe(name);
    expect(err.message).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    expect(err.message).not.toContain(value);
  });

  it('collects garbage after 5 quiet seconds by default, after the given number, or never with 0', () => {
    expect(loadHttpConfig({}).idleGcSeconds).toBe(5);
    expect(loadHttpConfig({ IDLE_GC_SECONDS: '30' }).idleGcSeconds).toBe(30);
    expect(loadHttpConfig({ IDLE_GC_SECONDS: '0' }).idleGcSeconds).toBe(0);
  });

  it('keeps idle database connections 10 minutes by default, or the given milliseconds; refuses anything else', () => {
    expect(loadDatabaseConfig({}).poolIdleMs).toBe(600_000);
    expect(loadDatabaseConfig({ DB_POOL_IDLE_MS: '30000' }).poolIdleMs).toBe(30_000);
    expect(errorOf(() => loadDatabaseConfig({ DB_POOL_IDLE_MS: '10m' })).message).toMatch(/^Invalid configuration: DB_POOL_IDLE_MS /);
  });

  it('asks PostgreSQL for its own statement limit unless DB_SERVER_STATEMENT_TIMEOUT=false (a pooler refusing startup parameters)', () => {
    expect(loadDatabaseConfig({}).serverStatementTimeout).toBe(true);
    expect(loadDatabaseConfig({ DB_SERVER_STATEMENT_TIMEOUT: 'false' }).serverStatementTimeout).toBe(false);
    expect(errorOf(() => loadDatabaseConfig({ DB_SERVER_STATEMENT_TIMEOUT: 'off' })).message).toMatch(/^Invalid configuration: DB_SERVER_STATEMENT_TIMEOUT /);
  });

  it('requires encryption keys in production', () => {
    expect(errorOf(() => loadSecurityConfig({ NODE_ENV: 'production' })).variable).toBe('TOKEN_ENCRYPTION_KEYS');
  });

  it('reads a rotation list: the first key encrypts, all decrypt', () => {
    const second = `k0:${Buffer.alloc(32, 1).toString('base64')}`;
    const cfg = loadSecurityConfig({ TOKEN_ENCRYPTION_KEYS: `${KEY},${second}` });
    expect(cfg.encryptionKeys.map((k) => k.id)).toEqual(['k1', 'k0']);
  });
});
