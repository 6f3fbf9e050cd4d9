import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { fhirConfig, type FhirConfig } from '../../config/fhir.config.js';

export interface SmartConfiguration {
  issuer?: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri?: string;
  capabilities?: string[];
  code_challenge_methods_supported?: string[];
}

const TTL_MS = 5 * 60 * 1000;

/** `{iss}/.well-known/smart-configuration`, cached briefly so a changed EHR is noticed within minutes. */
@Injectable()
export class DiscoveryService {
  private cache = new Map<string, { at: number; value: SmartConfiguration }>();

  constructor(@Inject(fhirConfig.KEY) private readonly fhir: FhirConfig) {}

  async get(issuer: string): Promise<SmartConfiguration> {
    const hit = this.cache.get(issuer);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    let res: Response;
    try {
      res = await fetch(`${issuer}/.well-known/smart-configuration`, {
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(this.fhir.requestTimeoutMs),
      });
    } catch {
      throw new DomainError('SMART.EHR_UNAVAILABLE', 'The EHR did not answer; please try again shortly.');
    }
    if (!res.ok) throw new DomainError('SMART.EHR_UNAVAILABLE', `The EHR's SMART configuration is unavailable (HTTP ${res.status}).`);
    const value = (await res.json()) as SmartConfiguration;
    if (!value.authorization_endpoint || !value.token_endpoint) {
      throw new DomainError('SMART.LAUNCH_INVALID', 'The EHR does not advertise SMART authorization endpoints.');
    }
    this.cache.set(issuer, { at: Date.now(), value });
    return value;
  }

  /**
   * The token endpoint a FHIR base advertises (backend services need no authorization endpoint): its SMART
   * configuration, else the CapabilityStatement's oauth-uris extension.
   */
  async tokenEndpoint(base: string): Promise<string> {
    let answered = false;
    const fromJson = async (url: string): Promise<unknown> => {
      try {
        // No redirects: the admin named this server, and a token request must not follow it elsewhere.
        const res = await fetch(url, { headers: { Accept: 'application/json, application/fhir+json' }, redirect: 'manual', signal: AbortSignal.timeout(this.fhir.requestTimeoutMs) });
        // Only a definite answer says "no token endpoint here"; a 5xx or a gateway page says nothing.
        if (res.ok || res.status === 404) answered = true;
        return res.ok ? await res.json() : undefined;
      } catch {
        return undefined;
      }
    };
    const smart = (await fromJson(`${base}/.well-known/smart-configuration`)) as { token_endpoint?: unknown } | undefined;
    if (typeof smart?.token_endpoint === 'string') return smart.token_endpoint;
    type Ext = { url?: string; valueUri?: string; extension?: Ext[] };
    const cs = (await fromJson(`${base}/metadata`)) as { rest?: { security?: { extension?: Ext[] } }[] } | undefined;
    const uris = cs?.rest?.[0]?.security?.extension?.find((e) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    const token = uris?.extension?.find((e) => e.url === 'token')?.valueUri;
    if (token) return token;
    if (!answered) throw new DomainError('SMART.EHR_UNAVAILABLE', 'The write-back FHIR base did not answer.');
    throw new DomainError('REGISTRY.WRITE_BACK_UNCONFIGURED', 'The write-back FHIR base advertises no token endpoint; set tokenEndpoint on the registration.');
  }

  /** SMART v2 scopes when the EHR says so; v1 otherwise. */
  static speaksV2(config: SmartConfiguration): boolean {
    const caps = config.capabilities ?? [];
    return caps.includes('permission-v2') || !caps.includes('permission-v1');
  }
}
