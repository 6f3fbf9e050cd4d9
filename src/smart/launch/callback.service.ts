import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Practitioner, RelatedPerson } from 'fhir/r4.js';
import type { JWTPayload } from 'jose';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { httpConfig, type HttpConfig } from '../../config/http.config.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { RegistryService } from '../registry/registry.service.js';
import { SessionService, type StoredSmartState } from '../session/session.service.js';
import { UsersService } from '../users/users.service.js';
import { DiscoveryService } from './discovery.service.js';
import { formatHumanName } from './display-name.js';
import { smartApi } from './fhirclient-env.js';
import { parseFhirUser } from './fhir-user.js';
import { JwksCache, verifyIdToken } from './id-token.js';
import { LaunchService, type LaunchExtras } from './launch.service.js';
import { launchEncounter, normaliseFhirContext } from './launch-context.js';
import { FHIR_ID_SOURCE, isFhirId } from '../../fhir/ids.js';

const OPAQUE = /^[\x21-\x7e]{1,2048}$/;

type SignInCode = 'SMART.STATE_INVALID' | 'SMART.TOKEN_EXCHANGE_FAILED' | 'SMART.ID_TOKEN_INVALID' | 'SMART.PATIENT_NOT_ALLOWED';

/** A refused sign-in with the audit log's reason for it, by which the page a person sees says what to do. */
export class SignInRefusal extends DomainError {
  constructor(
    readonly reason: string,
    code: SignInCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** Step two of the SMART launch: the authorization server sends the browser back with a code. */
@Injectable()
export class CallbackService {
  private readonly keys = new JwksCache();

  constructor(
    private readonly launches: LaunchService,
    private readonly registry: RegistryService,
    private readonly discovery: DiscoveryService,
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly fhir: FhirGateway,
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
  ) {}

  async complete(q: Record<string, unknown>, binding: string | undefined, res: Response, requestId?: string): Promise<string> {
    const fail = async (reason: string, code: SignInCode, message: string) => {
      await this.audit.record({ action: 'smart.signin', outcome: 'failure', requestId, detail: { reason } });
      return new SignInRefusal(reason, code, message);
    };
    if (typeof q.error === 'string') {
      const oauthError = /^[a-z_]{1,40}$/.test(q.error) ? q.error : 'error';
      throw await fail(`ehr:${oauthError}`, 'SMART.TOKEN_EXCHANGE_FAILED', `The EHR did not authorize the app (${oauthError}). Please relaunch from the EHR.`);
    }
    const code = typeof q.code === 'string' && OPAQUE.test(q.code) ? q.code : undefined;
    const state = typeof q.state === 'string' && OPAQUE.test(q.state) ? q.state : undefined;
    if (!binding) throw await fail('no-launch-cookie', 'SMART.STATE_INVALID', 'This sign-in did not start in this browser. Please relaunch the app from the EHR.');
    if (!code || !state) throw await fail('missing-code-or-state', 'SMART.STATE_INVALID', 'The sign-in response is incomplete. Please relaunch the app from the EHR.');

    const storage = this.launches.storage(binding);
    const extras = (await storage.get(`extras:${state}`)) as LaunchExtras | undefined;
    if (!extras) throw await fail('unknown-or-used-state', 'SMART.STATE_INVALID', 'This sign-in link is unknown, expired or already used. Please relaunch the app from the EHR.');
    let client: Awaited<ReturnType<ReturnType<typeof smartApi>['ready']>>;
    try {
      client = await smartApi(this.http.publicUrl, '/smart/callback', { code, state }, res, storage).ready();
    } catch (err) {
      const noState = /No state/i.test((err as Error).message ?? '');
      throw await fail(noState ? 'no-state' : 'token-exchange', noState ? 'SMART.STATE_INVALID' : 'SMART.TOKEN_EXCHANGE_FAILED', 'The EHR did not complete the sign-in. Please relaunch the app from the EHR.');
    } finally {
      // Single use, whatever happens next.
      await storage.unset(state);
      await storage.unset(`extras:${state}`);
      await storage.unset('SMART_KEY');
    }
    const tokens = (client.state.tokenResponse ?? {}) as StoredSmartState['tokenResponse'];
    if (typeof tokens.access_token !== 'string') throw await fail('no-access-token', 'SMART.TOKEN_EXCHANGE_FAILED', 'The EHR returned no access token.');

    const registration = await this.registry.get(extras.registrationId);
    const config = await this.discovery.get(extras.iss);
    let claims: JWTPayload;
    try {
      if (typeof tokens.id_token !== 'string' || !config.jwks_uri) throw new Error('no id_token');
      claims = await verifyIdToken(tokens.id_token, {
        jwksUri: config.jwks_uri,
        // Through a wildcard registration the id_token must name the launch's own base as its issuer.
        issuers: registration.issuer.endsWith('/*') ? [extras.iss] : [config.issuer, extras.iss].filter((v): v is string => !!v),
        clientId: registration.clientId,
        nonce: extras.nonce,
      }, this.keys);
    } catch {
      throw await fail('id-token', 'SMART.ID_TOKEN_INVALID', 'The EHR identity token could not be verified. Please relaunch the app from the EHR.');
    }
    const fhirUser = parseFhirUser(claims.fhirUser ?? claims.profile);
    if (!fhirUser) throw await fail('no-fhir-user', 'SMART.ID_TOKEN_INVALID', 'The EHR did not say who you are (fhirUser).');

    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : await this.displayName(registration.id, extras.iss, tokens.access_token, fhirUser);
    const user = await this.users.signIn(registration, fhirUser, name);
    const contextPatient = isFhirId(tokens.patient) ? tokens.patient : null;
    let patientId: string | null = contextPatient;
    if (user.role === 'patient') {
      if (contextPatient && contextPatient !== fhirUser.id) throw await fail('patient-mismatch', 'SMART.PATIENT_NOT_ALLOWED', 'A patient can only open their own record.');
      patientId = fhirUser.id;
    }
    if (user.role === 'caregiver') {
      // A caregiver's patient is the one their RelatedPerson record names, whatever a launcher's picker sent.
      const cared = await this.caredFor(registration.id, extras.iss, tokens.access_token, fhirUser.id);
      if (!cared) throw await fail('caregiver-without-patient', 'SMART.PATIENT_NOT_ALLOWED', "The EHR's record of this caregiver names nobody they care for.");
      if (contextPatient && contextPatient !== cared) {
        throw await fail('caregiver-patient-mismatch', 'SMART.PATIENT_NOT_ALLOWED', 'A caregiver can only open the record of the person they care for.');
      }
      patientId = cared;
    }
    if (user.role === 'quality' || user.role === 'admin') patientId = null;

    const { clientSecret: _s, clientPrivateJwk: _k, codeVerifier: _v, codeChallenge: _c, ...kept } = client.state as Record<string, unknown>;
    const { id_token: _id, ...keptTokens } = tokens;
    const sessionId = await this.sessions.open({
      user,
      registration,
      fhirBase: extras.iss,
      patientId,
      encounterId: launchEncounter(tokens, patientId),
      needPatientBanner: tokens.need_patient_banner === true,
      smartStyleUrl: typeof tokens.smart_style_url === 'string' && /^https?:\/\//.test(tokens.smart_style_url) ? tokens.smart_style_url : null,
      fhirContext: normaliseFhirContext(tokens.fhirContext) as Record<string, unknown>[] | null,
      state: { ...(kept as unknown as StoredSmartState), tokenResponse: keptTokens },
    });
    await this.audit.record({ action: 'smart.signin', outcome: 'success', actor: fhirUser.reference, actorRole: user.role, patientId, resourceType: 'EhrRegistration', resourceId: registration.id, requestId, detail: { workflow: extras.workflow } });
    return sessionId;
  }

  /** The patient a RelatedPerson is related to, read with the caregiver's own token; null when unreadable. */
  private async caredFor(registrationId: string, baseUrl: string, token: string, relatedPersonId: string): Promise<string | null> {
    try {
      const rp = await this.fhir.read<RelatedPerson>({ baseUrl, authorization: `Bearer ${token}`, registrationId }, 'RelatedPerson', relatedPersonId);
      const m = new RegExp(`^(?:.*/)?Patient/(${FHIR_ID_SOURCE})$`).exec(rp.patient?.reference ?? '');
      return m ? m[1] : null;
    } catch {
      return null;
    }
  }

  /** A display name when the id_token carries none: the fhirUser resource, read with the user's own token. */
  private async displayName(registrationId: string, baseUrl: string, token: string, who: { type: string; id: string; reference: string }): Promise<string> {
    try {
      const resource = await this.fhir.read<Practitioner>({ baseUrl, authorization: `Bearer ${token}`, registrationId }, who.type as 'Practitioner', who.id);
      return formatHumanName(resource.name) ?? who.reference;
    } catch {
      return who.reference;
    }
  }
}
