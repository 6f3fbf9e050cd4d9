import { Inject, Injectable } from '@nestjs/common';
import { httpConfig, type HttpConfig } from '../../config/http.config.js';
import { KeysService } from '../keys/keys.service.js';
import type { EhrRegistration } from '../registry/ehr-registration.entity.js';
import { RegistryService } from '../registry/registry.service.js';
import type { ClientAuth } from './token-client.js';

/** How we authenticate to a registration's token endpoint. */
@Injectable()
export class ClientAuthService {
  constructor(
    private readonly registry: RegistryService,
    private readonly keys: KeysService,
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
  ) {}

  jwksUrl(): string {
    return `${this.http.publicUrl}/.well-known/jwks.json`;
  }

  async forRegistration(r: EhrRegistration): Promise<ClientAuth> {
    if (r.clientAuth === 'client_secret_basic') {
      return { method: 'client_secret_basic', clientId: r.clientId, secret: this.registry.clientSecret(r) ?? '' };
    }
    return { method: 'private_key_jwt', clientId: r.clientId, privateJwk: await this.keys.privateJwk(), jku: this.jwksUrl() };
  }
}
