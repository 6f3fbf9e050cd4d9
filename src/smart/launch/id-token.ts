import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwks(uri: string) {
  let set = jwksCache.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), { timeoutDuration: 10000, cooldownDuration: 30000 });
    jwksCache.set(uri, set);
  }
  return set;
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
export async function verifyIdToken(idToken: string, e: IdTokenExpectations): Promise<JWTPayload> {
  const { payload } = await jwtVerify(idToken, jwks(e.jwksUri), {
    issuer: e.issuers,
    audience: e.clientId,
    clockTolerance: 60,
    algorithms: ['RS256', 'RS384', 'ES256', 'ES384', 'PS256'],
  });
  if (payload.nonce !== e.nonce) throw new Error('id_token nonce does not match');
  if (typeof payload.exp !== 'number') throw new Error('id_token has no expiry');
  return payload;
}
