import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';

export type ClientAuth =
  | { method: 'client_secret_basic'; clientId: string; secret: string }
  | { method: 'private_key_jwt'; clientId: string; privateJwk: JWK & { kid: string; alg: string }; jku?: string };

export interface TokenResponse {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  refresh_token?: string;
  [k: string]: unknown;
}

export class TokenEndpointError extends Error {
  constructor(
    readonly status: number,
    readonly oauthError: string | undefined,
  ) {
    super(`Token endpoint refused the request (${status}${oauthError ? `, ${oauthError}` : ''})`);
    this.name = 'TokenEndpointError';
  }
}

/** A SMART client assertion (RFC 7523) signed with our key: iss = sub = client id, aud = token endpoint. */
export async function clientAssertion(auth: Extract<ClientAuth, { method: 'private_key_jwt' }>, tokenUri: string): Promise<string> {
  const key = await importJWK(auth.privateJwk, auth.privateJwk.alg);
  return new SignJWT({})
    .setProtectedHeader({ alg: auth.privateJwk.alg, kid: auth.privateJwk.kid, typ: 'JWT', ...(auth.jku ? { jku: auth.jku } : {}) })
    .setIssuer(auth.clientId)
    .setSubject(auth.clientId)
    .setAudience(tokenUri)
    .setJti(randomUUID())
    .setExpirationTime('5m')
    .setIssuedAt()
    .sign(key);
}

/**
 * POSTs to a token endpoint with our client authentication. Written by hand because fhirclient's own
 * refresh cannot authenticate with private_key_jwt and it has no client_credentials grant.
 */
export async function tokenRequest(tokenUri: string, params: Record<string, string>, auth: ClientAuth, timeoutMs: number): Promise<TokenResponse> {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  if (auth.method === 'client_secret_basic') {
    const enc = (s: string) => encodeURIComponent(s);
    headers.Authorization = `Basic ${Buffer.from(`${enc(auth.clientId)}:${enc(auth.secret)}`).toString('base64')}`;
  } else {
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', await clientAssertion(auth, tokenUri));
  }
  // No redirects: our client assertion and the token it buys stay with the endpoint the registration names.
  const res = await fetch(tokenUri, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  const json = (await res.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string };
  if (!res.ok || typeof json.access_token !== 'string') throw new TokenEndpointError(res.status, typeof json.error === 'string' ? json.error : undefined);
  return json as TokenResponse;
}
