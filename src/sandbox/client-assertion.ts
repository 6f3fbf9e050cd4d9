import { decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { OAuthError } from './oauth-error.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** SMART Backend Services: RS384 or ES384, nothing weaker and never `none`. */
export const ASSERTION_ALGORITHMS = ['RS384', 'ES384'];
/** SMART: `exp` no more than five minutes in the future. */
const MAX_LIFETIME_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 30;

export interface AssertionCheck {
  clientId: string;
  tokenEndpoint: string;
  keys: JWTVerifyGetKey;
  now?: Date;
}

/** The client an assertion claims to come from, read before verification to pick the key set. */
export function assertionIssuer(assertion: string): string | undefined {
  try {
    const iss = decodeJwt(assertion).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a `private_key_jwt` client assertion (RFC 7523, SMART Backend Services): signature against the
 * client's keys, iss = sub = client id, aud = the token endpoint, a short `exp`, and a `jti` the caller
 * must record to refuse replays. Every failure is `invalid_client`.
 */
export async function verifyClientAssertion(assertion: string, check: AssertionCheck): Promise<{ jti: string; exp: number }> {
  const now = check.now ?? new Date();
  try {
    const { payload } = await jwtVerify(assertion, check.keys, {
      issuer: check.clientId,
      subject: check.clientId,
      audience: check.tokenEndpoint,
      algorithms: ASSERTION_ALGORITHMS,
      requiredClaims: ['exp', 'jti'],
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    const exp = payload.exp as number;
    if (exp > now.getTime() / 1000 + MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
      throw new OAuthError('invalid_client', 'The client assertion expires more than five minutes ahead.');
    }
    if (typeof payload.jti !== 'string' || !payload.jti) throw new OAuthError('invalid_client', 'The client assertion has no jti.');
    return { jti: payload.jti, exp };
  } catch (e) {
    if (e instanceof OAuthError) throw e;
    const reason = e instanceof errors.JOSEError ? e.code : 'ERR_UNKNOWN';
    throw new OAuthError('invalid_client', `The client assertion was refused (${reason}).`);
  }
}
