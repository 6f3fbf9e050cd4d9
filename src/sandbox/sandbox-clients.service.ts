import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { SandboxClient } from './sandbox-client.entity.js';
import { resolveSandboxClient, SANDBOX_CLIENTS, type SandboxClientRegistration } from './sandbox-clients.js';
import { sha256 } from './hashing.js';

/** The OAuth clients the sandbox EHR knows. */
@Injectable()
export class SandboxClients {
  constructor(
    @InjectRepository(SandboxClient) private readonly clients: Repository<SandboxClient>,
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
  ) {}

  /** Overwrites the configured clients so their redirect URIs and JWKS URL follow the current PUBLIC_URL. */
  async seed(): Promise<void> {
    for (const spec of SANDBOX_CLIENTS) await this.register(resolveSandboxClient(spec, this.http.publicUrl));
  }

  /** Adds or replaces a client (tests register their own, for example one with a test JWKS). */
  async register(c: SandboxClientRegistration): Promise<void> {
    await this.clients.upsert(
      {
        clientId: c.clientId,
        authMethod: c.authMethod,
        secretHash: c.clientSecret ? sha256(c.clientSecret) : null,
        jwksUri: c.jwksUri ?? null,
        redirectUris: c.redirectUris,
        updatedAt: new Date(),
      },
      ['clientId'],
    );
  }

  find(clientId: unknown): Promise<SandboxClient | null> {
    return typeof clientId === 'string' && clientId ? this.clients.findOneBy({ clientId }) : Promise.resolve(null);
  }
}
