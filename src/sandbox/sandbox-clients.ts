
export type SandboxClientAuthMethod = 'private_key_jwt' | 'client_secret_basic';

/** An OAuth client the sandbox EHR knows. URLs are paths under PUBLIC_URL because tests run on random ports. */
export interface SandboxClientSpec {
  clientId: string;
  authMethod: SandboxClientAuthMethod;
  /** Only for `client_secret_basic`. A well-known development value: the sandbox is never mounted in production. */
  clientSecret?: string;
  redirectPaths: readonly string[];
  /** Only for `private_key_jwt`: where the client publishes its public keys. */
  jwksPath?: string;
}

/** The clients seeded at every boot; the smart module registers the sandbox EHR with these. */
export const SANDBOX_CLIENTS: readonly SandboxClientSpec[] = [
  { clientId: 'als-wellness', authMethod: 'private_key_jwt', redirectPaths: ['/smart/callback'], jwksPath: '/.well-known/jwks.json' },
  { clientId: 'als-wellness-basic', authMethod: 'client_secret_basic', clientSecret: 'sandbox-secret', redirectPaths: ['/smart/callback'] },
];

/** A client with absolute URLs, as stored in `sandbox_client`. */
export interface SandboxClientRegistration {
  clientId: string;
  authMethod: SandboxClientAuthMethod;
  clientSecret?: string;
  redirectUris: string[];
  jwksUri?: string;
}

export function resolveSandboxClient(spec: SandboxClientSpec, publicUrl: string): SandboxClientRegistration {
  const root = publicUrl.replace(/\/+$/, '');
  return {
    clientId: spec.clientId,
    authMethod: spec.authMethod,
    clientSecret: spec.clientSecret,
    redirectUris: spec.redirectPaths.map((p) => `${root}${p}`),
    jwksUri: spec.jwksPath ? `${root}${spec.jwksPath}` : undefined,
  };
}
