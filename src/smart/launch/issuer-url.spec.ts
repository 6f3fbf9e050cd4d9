import { canonicalIssuer, wildcardCovers } from './issuer-url.js';

describe('canonicalIssuer', () => {
  it('keeps a plain FHIR base, without a trailing slash', () => {
    expect(canonicalIssuer('https://ehr.example/fhir/')).toBe('https://ehr.example/fhir');
    expect(canonicalIssuer('http://127.0.0.1:3000/sandbox/fhir')).toBe('http://127.0.0.1:3000/sandbox/fhir');
  });

  it.each([
    'https://ehr.example/tenants/a/x/../../evil',
    'https://ehr.example/tenants/a/%2e%2e/evil',
    'https://ehr.example/tenants/a/..%2fevil',
    'https://ehr.example\\tenants\\a',
    'https://user:pw@ehr.example/fhir',
    'https://ehr.example/fhir?x=1',
    'https://ehr.example/fhir#f',
    'ftp://ehr.example/fhir',
    'not a url',
  ])('refuses %s', (iss) => {
    expect(canonicalIssuer(iss)).toBeNull();
  });
});

describe('wildcardCovers', () => {
  it('matches bases under the registered path only', () => {
    expect(wildcardCovers('https://launcher.example/v/r4/sim/*', 'https://launcher.example/v/r4/sim/abc/fhir')).toBe(true);
    expect(wildcardCovers('https://launcher.example/v/r4/sim/*', 'https://launcher.example/v/r4/simulated/fhir')).toBe(false);
    expect(wildcardCovers('https://launcher.example/v/r4/sim/*', 'https://launcher.example/v/r4/sim')).toBe(false);
    expect(wildcardCovers('https://launcher.example/fhir', 'https://launcher.example/fhir/x')).toBe(false);
  });
});
