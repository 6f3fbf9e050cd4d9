import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { oauth, type Answer } from './http-answers.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ALGORITHMS = ['RS384', 'ES384'];
const TOKEN_LIFETIME_S = 300;
/** SMART Backend Services: an assertion's `exp` is at most five minutes ahead; a little clock skew is forgiven. */
const MAX_ASSERTION_LIFETIME_S = 300;
const CLOCK_SKEW_S = 5;

interface TrustedClient {
  jwksUrl: string;
  keys: JWTVerifyGetKey;
}

interface Grant {
  expiresAt: number;
  scope: string;
}

/**
 * The EHR's authorization server for SMART Backend Services (client_credentials with a private_key_jwt
 * assertion, RFC 7523), checked the way a careful EHR checks it: the client's keys come from its
 * registered JWKS URL, `aud` is this token endpoint, `exp` is near, and a `jti` is accepted once.
 */
export class SmartBackendAuth {
  private readonly clients = new Map<string, TrustedClient>();
  private readonly grants = new Map<string, Grant>();
  private readonly seenJtis = new Set<string>();

  constructor(private readonly tokenEndpoint: string) {}

  /** Registers our app; a client can be trusted only once its URL is known, so after start. */
  trustClient(clientId: string, jwksUrl: string): void {
    this.clients.set(clientId, { jwksUrl, keys: createRemoteJWKSet(new URL(jwksUrl)) });
  }

  /** `POST /auth/token` with the form already parsed. */
  async token(form: URLSearchParams): Promise<Answer> {
    if (form.get('grant_type') !== 'client_credentials') return oauth(400, { error: 'unsupported_grant_type' });
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !assertion) {
      return oauth(401, { error: 'invalid_client', error_description: 'A private_key_jwt client assertion is required.' });
    }
    const scope = (form.get('scope') ?? '').trim();
    const scopes = scope.split(/\s+/).filter(Boolean);
    if (!scopes.length || scopes.some((s) => !s.startsWith('system/'))) {
      return oauth(400, { error: 'invalid_scope', error_description: 'Backend services grant system/ scopes only.' });
    }
    const refusal = await this.verifyAssertion(assertion);
    if (refusal) return oauth(401, { error: 'invalid_client', error_description: refusal });
    return oauth(200, { access_token: this.grant(TOKEN_LIFETIME_S, scope), token_type: 'bearer', expires_in: TOKEN_LIFETIME_S, scope });
  }

  /** A token for a signed-in test user, as the EHR would give after an authorization-code launch. */
  issueUserToken(scope = 'user/*.cruds', lifetimeS = 3600): string {
    return this.grant(lifetimeS, scope);
  }

  /** Whether an `Authorization` header carries a token this EHR issued and that has not expired. */
  accepts(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const grant = match ? this.grants.get(match[1]) : undefined;
    return !!grant && grant.expiresAt > Date.now();
  }

  /** Why the assertion is refused, or undefined when it is good (the `jti` is then spent). */
  private async verifyAssertion(assertion: string): Promise<string | undefined> {
    let clientId: string | undefined;
    try {
      clientId = decodeJwt(assertion).iss;
    } catch {
      return 'The client assertion is not a JWT.';
    }
    const client = clientId ? this.clients.get(clientId) : undefined;
    if (!clientId || !client) return 'Unknown client.';
    try {
      const { payload, protectedHeader } = await jwtVerify(assertion, client.keys, {
        issuer: clientId,
        subject: clientId,
        audience: this.tokenEndpoint,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_SKEW_S,
      });
      if (protectedHeader.jku && protectedHeader.jku !== client.jwksUrl) return 'The jku is not the registered JWKS URL.';
      if (payload.exp! > Date.now() / 1000 + MAX_ASSERTION_LIFETIME_S + CLOCK_SKEW_S) return 'The assertion expires too far ahead.';
      const jti = `${clientId} ${payload.jti}`;
      if (this.seenJtis.has(jti)) return 'The assertion was replayed (jti seen before).';
      this.seenJtis.add(jti);
      return undefined;
    } catch (err) {
      return `The client assertion was refused (${(err as Error).name}).`;
    }
  }

  private grant(lifetimeS: number, scope: string): string {
    const token = randomBytes(24).toString('base64url');
    this.grants.set(token, { expiresAt: Date.now() + lifetimeS * 1000, scope });
    return token;
  }
}
