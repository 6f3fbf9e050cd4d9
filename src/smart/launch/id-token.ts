import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/**
 * The EHRs' key sets, fetched once per JWKS URI and refetched by jose when a token names an unknown key (at most
 * every 30 s). One per service instance (CallbackService holds it), not per process: two services in one process
 * (tests) must not share a set cached for a URI that, with a reused port, now belongs to another EHR.
 */
export class JwksCache {
  private readonly sets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  get(uri: string): ReturnType<typeof createRemoteJWKSet> {
    let set = this.sets.get(uri);
    if (!set) {
      set = createRemoteJWKSet(new URL(uri), { timeoutDuration: 10000, cooldownDuration: 30000 });
      this.sets.set(uri, set);
    }
    return set;
  }
}

export interface IdTokenExpectations {
  jwksUri: string;
  /** Accepted issuers: the EHR's advertised `issuer` and its FHIR base. */
  issuers: string[];
  clientId: string;
  nonce: string;
}

/**
 * Verifies an OpenID Connect id_token: signature against the EHR's JWKS, issuer, audience, expiry
 * (jose checks exp/nbf with 60 s tolerance) and our nonce. fhirclient decodes id_tokens but does not
 * verify them, so this must not be skipped.
 */
export async function verifyIdToken(idToken: string, e: IdTokenExpectations, keys: JwksCache): Promise<JWTPayload> {
  const { payload } = await jwtVerify(idToken, keys.get(e.jwksUri), {
    issuer: e.issuers,
    audience: e.clientId,
    clockTolerance: 60,
    algorithms: ['RS256', 'RS384', 'ES256', 'ES384', 'PS256'],
  });
  if (payload.nonce !== e.nonce) throw new Error('id_token nonce does not match');
  if (typeof payload.exp !== 'number') throw new Error('id_token has no expiry');
  return payload;
}
