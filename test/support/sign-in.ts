import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/common/auth/roles.js';
import { RegistryService } from '../../src/smart/registry/registry.service.js';
import { SessionService } from '../../src/smart/session/session.service.js';
import { UsersService } from '../../src/smart/users/users.service.js';

export interface SignedIn {
  /** `Cookie` header value for supertest. */
  cookie: string;
  /** `X-CSRF-Token` header value for state-changing calls. */
  csrf: string;
  registrationId: string;
  userId: string;
}

export interface SignInOptions {
  role: Role;
  fhirUser?: string;
  patientId?: string | null;
  /** The launch's encounter (`launch/encounter`), kept with the patient in context. */
  encounterId?: string | null;
  /** The registration to sign in through; defaults to one made for the test (issuer https://ehr.test/fhir). */
  issuer?: string;
  /** Access token lifetime in seconds from now (negative = already expired). */
  accessExpiresIn?: number;
  refreshToken?: string;
}

/**
 * Opens a session directly, as a completed SMART launch would, for tests of features behind the auth
 * guard. The launch itself is tested end to end in test/smart-launch.e2e-spec.ts.
 */
export async function signIn(app: INestApplication, o: SignInOptions): Promise<SignedIn> {
  const registry = app.get(RegistryService);
  const issuer = o.issuer ?? 'https://ehr.test/fhir';
  const registration =
    (await registry.findEnabledByIssuer(issuer)) ??
    (await registry.create(
      { issuer, name: 'Test EHR', clientId: 'test-client', clientAuth: 'client_secret_basic', clientSecret: 'test-secret-123', frameAncestors: [], enabled: true },
      { actor: 'test', actorRole: null },
    ));
  const defaultUser = o.role === 'patient' ? `Patient/${o.patientId ?? 'p1'}` : o.role === 'caregiver' ? 'RelatedPerson/rp1' : `Practitioner/${randomUUID().slice(0, 8)}`;
  const reference = o.fhirUser ?? defaultUser;
  const type = reference.split('/')[0] as 'Practitioner' | 'Patient' | 'RelatedPerson';
  const users = app.get(UsersService);
  let user = await users.signIn(registration, { type, reference }, `Synthetic ${o.role}`);
  if (user.role !== o.role) user = await users.setRole(user.id, o.role, { actor: 'test', actorRole: 'admin' });
  const expiresAt = Math.floor(Date.now() / 1000) + (o.accessExpiresIn ?? 3600);
  const sessions = app.get(SessionService);
  const id = await sessions.open({
    user,
    registration,
    fhirBase: registration.issuer,
    patientId: o.patientId ?? null,
    encounterId: o.encounterId ?? null,
    needPatientBanner: false,
    smartStyleUrl: null,
    fhirContext: null,
    state: {
      serverUrl: registration.issuer,
      clientId: registration.clientId,
      tokenUri: `${registration.issuer}/token`,
      redirectUri: 'http://localhost/smart/callback',
      scope: 'openid fhirUser offline_access',
      expiresAt,
      tokenResponse: { access_token: `test-${randomUUID()}`, ...(o.refreshToken ? { refresh_token: o.refreshToken } : {}), scope: 'openid fhirUser offline_access' },
    },
  });
  const loaded = await sessions.load(id);
  return { cookie: `als_session=${id}`, csrf: loaded!.user.csrfToken, registrationId: registration.id, userId: user.id };
}
