import { z } from 'zod';
import { ConfigError } from '../../config/config-error.js';

/**
 * The FHIR base an EHR sends as `iss`. A value ending in `/*` matches every base under that path (for
 * launchers such as SMART's public one, whose `iss` encodes the launch: `https://launcher.example/v/r4/sim/…/fhir`).
 */
const issuer = z
  .string()
  .max(2000)
  .refine((v) => {
    const base = v.endsWith('/*') ? v.slice(0, -2) : v;
    return /^https?:\/\/[^\s*]+$/.test(base) && URL.canParse(base);
  }, 'must be an http(s) URL, optionally ending in /* to match every base under it')
  .transform((v) => (v.endsWith('/*') ? v : v.replace(/\/+$/, '')));
const origin = z
  .string()
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be an origin such as https://ehr.example.org');
/** Write-back tokens and PHI travel here: https, except to this machine (development and tests). */
const httpUrl = z
  .string()
  .max(2000)
  .refine((v) => /^https?:\/\/[^\s*]+$/.test(v) && URL.canParse(v), 'must be an http(s) URL')
  .refine((v) => !URL.canParse(v) || new URL(v).protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(new URL(v).hostname), 'must use https (http only to localhost)')
  .transform((v) => v.replace(/\/+$/, ''));
/** What a registration may force over the EHR's CapabilityStatement (see fhir/delivery/delivery-profile.ts). */
const delivery = z
  .object({
    mode: z.enum(['transaction', 'individual']).optional(),
    maxEntries: z.number().int().min(1).max(1000).optional(),
    conditionalWrites: z.boolean().optional(),
  })
  .strict();
/** Where and as whom write-backs go; every field optional (defaults: the issuer, its SMART configuration, clientId). */
const writeBack = {
  fhirBaseUrl: httpUrl.nullable(),
  tokenEndpoint: httpUrl.nullable(),
  systemClientId: z.string().min(1).max(200).nullable(),
  writeBackAuth: z.enum(['system', 'user']),
  delivery,
};
const scopes = z.string().max(2000).regex(/^[\x21-\x7e ]*$/, 'must be space-separated scopes');

export const registrationInput = z
  .object({
    issuer,
    name: z.string().min(1).max(200),
    clientId: z.string().min(1).max(200),
    clientAuth: z.enum(['client_secret_basic', 'private_key_jwt']),
    clientSecret: z.string().min(8).max(500).optional(),
    scopes: scopes.nullable().optional(),
    systemScopes: scopes.nullable().optional(),
    frameAncestors: z.array(origin).max(20).default([]),
    enabled: z.boolean().default(true),
    fhirBaseUrl: writeBack.fhirBaseUrl.optional(),
    tokenEndpoint: writeBack.tokenEndpoint.optional(),
    systemClientId: writeBack.systemClientId.optional(),
    writeBackAuth: writeBack.writeBackAuth.optional(),
    delivery: delivery.optional(),
  })
  .strict()
  .refine((r) => r.clientAuth !== 'client_secret_basic' || !!r.clientSecret, {
    message: 'clientSecret is required for client_secret_basic',
    path: ['clientSecret'],
  })
  .meta({
    example: {
      issuer: 'https://ehr.example.org/fhir/r4',
      name: 'Example hospital EHR',
      clientId: 'als-wellness',
      clientAuth: 'private_key_jwt',
      frameAncestors: ['https://ehr.example.org'],
      writeBackAuth: 'system',
      systemClientId: 'als-wellness-backend',
    },
  });

export const registrationPatch = z
  .object({
    name: z.string().min(1).max(200),
    clientId: z.string().min(1).max(200),
    clientAuth: z.enum(['client_secret_basic', 'private_key_jwt']),
    clientSecret: z.string().min(8).max(500),
    scopes: scopes.nullable(),
    systemScopes: scopes.nullable(),
    frameAncestors: z.array(origin).max(20),
    enabled: z.boolean(),
    ...writeBack,
  })
  .partial()
  .strict()
  .meta({ example: { name: 'Example hospital EHR (production)', frameAncestors: ['https://ehr.example.org', 'https://portal.example.org'] } });

export type RegistrationInput = z.infer<typeof registrationInput>;
export type RegistrationPatch = z.infer<typeof registrationPatch>;


/** Registrations given by configuration (`EHR_REGISTRATIONS`): any bad entry stops the service at start. */
export function parseConfigRegistrations(raw: unknown[]): RegistrationInput[] {
  return raw.map((entry, i) => {
    const r = registrationInput.safeParse(entry);
    if (!r.success) {
      const first = r.error.issues[0];
      throw new ConfigError('EHR_REGISTRATIONS', `entry ${i} is invalid: ${first.path.join('.') || 'entry'} ${first.message}`);
    }
    return r.data;
  });
}
