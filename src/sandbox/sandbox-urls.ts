/** Every absolute URL the sandbox publishes, derived from PUBLIC_URL (never from a request's Host header). */
export interface SandboxUrls {
  /** The FHIR base URL, which is also the `iss` of launches and tokens. */
  issuer: string;
  authorize: string;
  approve: string;
  token: string;
  jwks: string;
  launch: string;
  launcher: string;
  style: string;
  /** Where `/sandbox/launch` sends the browser when no `app` is given: this service's own launch route. */
  defaultApp: string;
}

export function sandboxUrls(publicUrl: string): SandboxUrls {
  const root = publicUrl.replace(/\/+$/, '');
  const sandbox = `${root}/sandbox`;
  return {
    issuer: `${sandbox}/fhir`,
    authorize: `${sandbox}/auth/authorize`,
    approve: `${sandbox}/auth/approve`,
    token: `${sandbox}/auth/token`,
    jwks: `${sandbox}/auth/jwks`,
    launch: `${sandbox}/launch`,
    launcher: sandbox,
    style: `${sandbox}/smart-style.json`,
    defaultApp: `${root}/smart/launch`,
  };
}
