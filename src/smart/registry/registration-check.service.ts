import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { DeliveryProfile } from '../../fhir/delivery/delivery-profile.js';
import { describeProfile, WriteBackProbe, type ProbeStep } from '../../fhir/delivery/write-back-probe.js';
import { SystemTokenService } from '../backend/system-token.service.js';
import { TokenEndpointError } from '../backend/token-client.js';
import { assertBackendServices, writeBackBase } from '../backend/write-back-target.js';
import type { EhrRegistration } from './ehr-registration.entity.js';
import { RegistryService, type Actor } from './registry.service.js';

export interface CheckStep {
  step: 'discovery' | 'token' | ProbeStep['step'];
  result: ProbeStep['result'];
  detail: string;
}

export interface ConnectionReport {
  registrationId: string;
  fhirBaseUrl: string;
  tokenEndpoint: string | null;
  writeBackAuth: 'system' | 'user';
  steps: CheckStep[];
  /** The delivery mode write-backs will use now (CapabilityStatement + the registration's overrides). */
  delivery: DeliveryProfile;
  /** The same in words. */
  deliveryText: string;
}

/**
 * An admin's "check connection" for a registration: discovery, a token round trip, the CapabilityStatement
 * and the delivery mode it gives, and a validation dry-run of one sample Bundle. Writes nothing to the EHR.
 * A failed step answers 422 (the EHR or the registration needs fixing) with every step in the outcome.
 */
@Injectable()
export class RegistrationCheck {
  constructor(
    private readonly registry: RegistryService,
    private readonly tokens: SystemTokenService,
    private readonly probe: WriteBackProbe,
    private readonly audit: AuditService,
  ) {}

  async check(id: string, by: Actor): Promise<ConnectionReport> {
    const r = await this.registry.get(id);
    try {
      return await this.run(r, by);
    } catch (err) {
      // A registration that cannot deliver at all is refused before any network call, and that is audited too.
      if (err instanceof DomainError && err.code === 'REGISTRY.WRITE_BACK_UNCONFIGURED') await this.record(r.id, by, 'failure', [], err.code);
      throw err;
    }
  }

  private async run(r: EhrRegistration, by: Actor): Promise<ConnectionReport> {
    if (r.writeBackAuth !== 'user') assertBackendServices(r);
    const steps: CheckStep[] = [];
    const fail = async (target: { baseUrl: string; tokenEndpoint: string | null }): Promise<never> => {
      await this.record(r.id, by, 'failure', steps);
      throw new DomainError(
        'REGISTRY.CONNECTION_FAILED',
        `Check connection failed at "${steps.find((s) => s.result === 'failed')?.step}" for ${target.baseUrl}.`,
        steps.map((s) => ({ message: `${s.step}: ${s.result} — ${s.detail}`, expression: s.step, ...(s.result === 'failed' ? {} : { code: 'informational' as const }) })),
      );
    };

    let target: { baseUrl: string; tokenEndpoint: string | null };
    let authorization = '';
    if (r.writeBackAuth === 'user') {
      // A user's token is only at hand during their launch: check what needs no token.
      target = { baseUrl: writeBackBase(r), tokenEndpoint: null };
      steps.push({ step: 'discovery', result: 'skipped', detail: 'Write-back uses the launching user’s token.' }, { step: 'token', result: 'skipped', detail: 'Write-back uses the launching user’s token.' });
    } else {
      const baseUrl = writeBackBase(r); // a wildcard issuer without a write-back base: 400, the registration is wrong
      try {
        const t = await this.tokens.target(r);
        target = t;
        steps.push({ step: 'discovery', result: 'ok', detail: `Token endpoint ${t.tokenEndpoint}` });
      } catch (err) {
        const unreachable = err instanceof DomainError && err.code === 'SMART.EHR_UNAVAILABLE';
        steps.push({
          step: 'discovery',
          result: 'failed',
          detail: unreachable ? `The EHR did not answer at ${baseUrl}.` : `${baseUrl} advertises no token endpoint: set tokenEndpoint on the registration.`,
        });
        return fail({ baseUrl, tokenEndpoint: null });
      }
      try {
        authorization = `Bearer ${(await this.tokens.requestToken(r)).token}`;
        steps.push({ step: 'token', result: 'ok', detail: `A system token for client ${r.systemClientId ?? r.clientId}` });
      } catch (err) {
        if (err instanceof DomainError && err.code === 'REGISTRY.WRITE_BACK_UNCONFIGURED') throw err;
        const detail =
          err instanceof TokenEndpointError
            ? `The token endpoint refused our client (HTTP ${err.status}${err.oauthError ? `, ${err.oauthError}` : ''}): check the client id and that it trusts our key set.`
            : 'The token endpoint did not answer.';
        steps.push({ step: 'token', result: 'failed', detail });
        return fail(target);
      }
    }
    const probed = await this.probe.probe({ baseUrl: target.baseUrl, authorization, registrationId: r.id, delivery: r.delivery }, { dryRun: !!authorization });
    steps.push(...probed.steps);
    if (!probed.profile || steps.some((s) => s.result === 'failed')) return fail(target);
    await this.record(r.id, by, 'success', steps);
    return { registrationId: r.id, fhirBaseUrl: target.baseUrl, tokenEndpoint: target.tokenEndpoint, writeBackAuth: r.writeBackAuth, steps, delivery: probed.profile, deliveryText: describeProfile(probed.profile) };
  }

  private record(id: string, by: Actor, outcome: 'success' | 'failure', steps: CheckStep[], reason?: string) {
    return this.audit.record({
      action: 'registry.check',
      outcome,
      actor: by.actor,
      actorRole: by.actorRole,
      requestId: by.requestId ?? null,
      resourceType: 'EhrRegistration',
      resourceId: id,
      detail: { steps: steps.map((s) => `${s.step}:${s.result}`), ...(reason ? { reason } : {}) },
    });
  }
}
