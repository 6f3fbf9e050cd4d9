import { registerAs } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FHIR_ID_SOURCE } from '../common/fhir-id.js';
import { ConfigError } from './config-error.js';
import { list, positiveInt, readEnv } from './env.js';

/** `issuer|Practitioner/id`: the EHR's FHIR base (no wildcard), a bar, the admin's fhirUser. */
const BOOTSTRAP_ADMIN = new RegExp(`^https?://[^\\s|*]+\\|(Practitioner|PractitionerRole)/${FHIR_ID_SOURCE}$`);

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface SecurityConfig {
  production: boolean;
  /** AES-256-GCM keys for tokens at rest; the first encrypts, all decrypt (rotation). */
  encryptionKeys: EncryptionKey[];
  sessionTtlMinutes: number;
  /** `issuer|Practitioner/id` entries made admin on first sign-in through that exact EHR registration. */
  bootstrapAdmins: string[];
}

const keySpec = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=]{43,44})$/;

function parseKeys(specs: string[]): EncryptionKey[] {
  return specs.map((spec) => {
    const m = keySpec.exec(spec);
    const key = m ? Buffer.from(m[2], 'base64') : undefined;
    if (!m || key?.length !== 32) {
      throw new ConfigError('TOKEN_ENCRYPTION_KEYS', 'must be a comma-separated list of id:base64-32-byte-key');
    }
    return { id: m[1], key };
  });
}

/** Outside production a missing key is generated once and kept in the data folder, so restarts can decrypt. */
function devKeys(dataDir: string): EncryptionKey[] {
  if (dataDir === ':memory:') return [{ id: 'ephemeral', key: randomBytes(32) }];
  const file = join(dataDir, 'dev-encryption-key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `dev:${randomBytes(32).toString('base64')}`, { mode: 0o600 });
  }
  return parseKeys([readFileSync(file, 'utf8').trim()]);
}

export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const nodeEnv = readEnv(
    env,
    'NODE_ENV',
    z.enum(['production', 'development', 'test']).default('development'),
    'one of production, development, test',
  );
  const production = nodeEnv === 'production';
  const specs = readEnv(env, 'TOKEN_ENCRYPTION_KEYS', list, 'a comma-separated list of id:base64-32-byte-key');
  if (production && specs.length === 0) {
    throw new ConfigError('TOKEN_ENCRYPTION_KEYS', 'is required when NODE_ENV=production');
  }
  const dataDir = env.DATA_DIR || '.data';
  return {
    production,
    encryptionKeys: specs.length ? parseKeys(specs) : devKeys(dataDir),
    sessionTtlMinutes: readEnv(env, 'SESSION_TTL_MINUTES', positiveInt(480), 'a positive integer (minutes)'),
    bootstrapAdmins: readEnv(
      env,
      'BOOTSTRAP_ADMINS',
      list.refine((l) => l.every((e) => BOOTSTRAP_ADMIN.test(e))),
      'a comma-separated list of issuer|Practitioner/id (the EHR\'s FHIR base and the fhirUser)',
    ),
  };
}

export const securityConfig = registerAs('security', () => loadSecurityConfig());
