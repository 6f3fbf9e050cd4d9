import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { s256Challenge } from '../../src/sandbox/pkce.js';

type App = Parameters<typeof request>[0];

/** The seeded client_secret_basic client of the sandbox EHR. */
export const BASIC_CLIENT = { id: 'als-wellness-basic', secret: 'sandbox-secret' };

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier) };
}

export interface AuthorizedCode {
  code: string;
  state: string;
  verifier: string;
  redirectUri: string;
}

export interface LaunchOptions {
  scope: string;
  clientId?: string;
  user?: string;
  patient?: string;
  encounter?: string;
  nonce?: string;
}

/** `/sandbox/launch` → the app URL with `iss` and `launch`, as the EHR opens it. */
export async function startLaunch(server: App, url: string, o: Partial<LaunchOptions> = {}): Promise<{ iss: string; launch: string }> {
  const res = await request(server)
    .get('/sandbox/launch')
    .query({ ...(o.user ? { user: o.user } : {}), ...(o.patient ? { patient: o.patient } : {}), ...(o.encounter ? { encounter: o.encounter } : {}) })
    .expect(302);
  const location = new URL(res.headers.location);
  expect(`${location.origin}${location.pathname}`).toBe(`${url}/smart/launch`);
  return { iss: location.searchParams.get('iss')!, launch: location.searchParams.get('launch')! };
}

/** The app's authorization request for an EHR launch; the sandbox approves it at once and redirects with a code. */
export async function ehrLaunchCode(server: App, url: string, o: LaunchOptions): Promise<AuthorizedCode> {
  const { iss, launch } = await startLaunch(server, url, o);
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString('hex');
  const redirectUri = `${url}/smart/callback`;
  const res = await request(server)
    .get('/sandbox/auth/authorize')
    .query({
      response_type: 'code',
      client_id: o.clientId ?? BASIC_CLIENT.id,
      redirect_uri: redirectUri,
      scope: o.scope,
      state,
      aud: iss,
      launch,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...(o.nonce ? { nonce: o.nonce } : {}),
    })
    .expect(302);
  const back = new URL(res.headers.location);
  expect(back.searchParams.get('state')).toBe(state);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.searchParams.get('error')} ${back.searchParams.get('error_description')}`);
  return { code, state, verifier, redirectUri };
}

/** Exchanges a code with HTTP Basic client authentication. */
export function redeemWithBasic(server: App, c: AuthorizedCode, verifier = c.verifier) {
  return request(server)
    .post('/sandbox/auth/token')
    .set('Authorization', basicAuth(BASIC_CLIENT.id, BASIC_CLIENT.secret))
    .type('form')
    .send({ grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: verifier });
}

/** An access token for the given scopes, obtained through a full EHR launch. */
export async function sandboxAccessToken(server: App, url: string, scope: string, o: Partial<LaunchOptions> = {}): Promise<string> {
  const code = await ehrLaunchCode(server, url, { ...o, scope });
  const res = await redeemWithBasic(server, code).expect(200);
  return res.body.access_token as string;
}
