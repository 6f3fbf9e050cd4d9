import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { DataSource } from 'typeorm';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { assertionIssuer, CLIENT_ASSERTION_TYPE, verifyClientAssertion } from './client-assertion.js';
import { sameHash, sha256 } from './hashing.js';
import { OAuthError } from './oauth-error.js';
import type { SandboxClient } from './sandbox-client.entity.js';
import { SandboxClients } from './sandbox-clients.service.js';
import { sandboxUrls } from './sandbox-urls.js';

export type FormBody = Record<string, unknown>;

const refused = (why: string) => new OAuthError('invalid_client', why);

function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1 form-encodes both parts; clients that do not (fhirclient) send the same for plain values.
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
}

/**
 * Authenticates the client at the token endpoint with the method it is registered for: HTTP Basic with its
 * secret, or a `private_key_jwt` assertion verified against the JWKS at its registered `jwks_uri`.
 */
@Injectable()
export class ClientAuthenticator {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  private readonly tokenEndpoint: string;

  constructor(
    private readonly clients: SandboxClients,
    private readonly ds: DataSource,
    @Inject(httpConfig.KEY) http: HttpConfig,
  ) {
    this.tokenEndpoint = sandboxUrls(http.publicUrl).token;
  }

  async authenticate(authorization: string | undefined, body: FormBody): Promise<SandboxClient> {
    const basic = basicCredentials(authorization);
    const assertion = body.client_assertion;
    if (basic && assertion) throw new OAuthError('invalid_request', 'Use one client authentication method, not two.');
    if (basic) return this.basic(basic, body.client_id);
    if (typeof assertion === 'string' && body.client_assertion_type === CLIENT_ASSERTION_TYPE) return this.privateKeyJwt(assertion, body.client_id);
    throw refused('Client authentication is required (client_secret_basic or private_key_jwt).');
  }

  private async basic(cred: { id: string; secret: string }, bodyClientId: unknown): Promise<SandboxClient> {
    const client = await this.clients.find(cred.id);
    if (!client || client.authMethod !== 'client_secret_basic' || !client.secretHash || !sameHash(client.secretHash, sha256(cred.secret))) {
      throw refused('Unknown client or wrong secret.');
    }
    if (bodyClientId !== undefined && bodyClientId !== client.clientId) throw refused('client_id does not match the credentials.');
    return client;
  }

  private async privateKeyJwt(assertion: string, bodyClientId: unknown): Promise<SandboxClient> {
    const client = await this.clients.find(assertionIssuer(assertion));
    if (!client || client.authMethod !== 'private_key_jwt' || !client.jwksUri) throw refused('Unknown client for this assertion.');
    if (bodyClientId !== undefined && bodyClientId !== client.clientId) throw refused('client_id does not match the assertion.');
    const { jti, exp } = await verifyClientAssertion(assertion, {
      clientId: client.clientId,
      tokenEndpoint: this.tokenEndpoint,
      keys: this.keySet(client.jwksUri),
    });
    await this.ds.query(`DELETE FROM sandbox_assertion_jti WHERE expires_at < now()`);
    const fresh: unknown[] = await this.ds.query(
      `INSERT INTO sandbox_assertion_jti (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING jti`,
      [client.clientId, jti, new Date((exp + 60) * 1000)],
    );
    if (!fresh.length) throw refused('The client assertion was already used (jti replay).');
    return client;
  }

  /** One remote key set per JWKS URL, so jose's cache and cooldown apply across requests. */
  private keySet(jwksUri: string): JWTVerifyGetKey {
    let set = this.keySets.get(jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000 });
      this.keySets.set(jwksUri, set);
    }
    return set;
  }
}
