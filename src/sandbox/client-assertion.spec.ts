import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { assertionIssuer, verifyClientAssertion } from './client-assertion.js';

const TOKEN = 'http://127.0.0.1:3000/sandbox/auth/token';

describe('client assertion (private_key_jwt)', () => {
  let es: CryptoKey;
  let rs: CryptoKey;
  let keys: ReturnType<typeof createLocalJWKSet>;

  beforeAll(async () => {
    const esPair = await generateKeyPair('ES384');
    const rsPair = await generateKeyPair('RS384');
    es = esPair.privateKey;
    rs = rsPair.privateKey;
    const jwks: JWK[] = [
      { ...(await exportJWK(esPair.publicKey)), kid: 'es', alg: 'ES384' },
      { ...(await exportJWK(rsPair.publicKey)), kid: 'rs', alg: 'RS384' },
    ];
    keys = createLocalJWKSet({ keys: jwks });
  });

  function assertion(opts: { key?: CryptoKey; alg?: string; kid?: string; iss?: string; sub?: string; aud?: string; exp?: string; jti?: string | null } = {}) {
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: opts.alg ?? 'ES384', kid: opts.kid ?? 'es', typ: 'JWT' })
      .setIssuer(opts.iss ?? 'app')
      .setSubject(opts.sub ?? 'app')
      .setAudience(opts.aud ?? TOKEN)
      .setExpirationTime(opts.exp ?? '2m');
    if (opts.jti !== null) jwt.setJti(opts.jti ?? 'jti-1');
    return jwt.sign(opts.key ?? es);
  }

  const check = (jwt: string) => verifyClientAssertion(jwt, { clientId: 'app', tokenEndpoint: TOKEN, keys });

  it('accepts ES384 and RS384 assertions and returns the jti', async () => {
    await expect(check(await assertion())).resolves.toMatchObject({ jti: 'jti-1' });
    await expect(check(await assertion({ key: rs, alg: 'RS384', kid: 'rs' }))).resolves.toMatchObject({ jti: 'jti-1' });
    expect(assertionIssuer(await assertion())).toBe('app');
  });

  it.each([
    ['another audience', { aud: 'https://elsewhere.example/token' }],
    ['iss not the client', { iss: 'other' }],
    ['sub not the client', { sub: 'other' }],
    ['exp more than five minutes ahead', { exp: '10m' }],
    ['an expired assertion', { exp: '-5m' }],
    ['no jti', { jti: null }],
  ])('refuses %s', async (_what, opts) => {
    await expect(check(await assertion(opts))).rejects.toMatchObject({ error: 'invalid_client', status: 401 });
  });

  it('refuses an algorithm outside RS384/ES384 and a key it does not know', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await expect(check(await assertion({ key: privateKey, alg: 'RS256', kid: 'rs' }))).rejects.toMatchObject({ error: 'invalid_client' });
    const other = (await generateKeyPair('ES384')).privateKey;
    await expect(check(await assertion({ key: other }))).rejects.toMatchObject({ error: 'invalid_client' });
    await expect(check('not-a-jwt')).rejects.toMatchObject({ error: 'invalid_client' });
  });
});
