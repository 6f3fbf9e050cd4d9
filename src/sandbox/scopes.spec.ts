import { parseResourceScope, parseScopes } from './scopes.js';

describe('SMART scopes', () => {
  it('understands v1 read/write/* and v2 cruds letters', () => {
    expect([...parseResourceScope('patient/Observation.read')!.permissions]).toEqual(['r', 's']);
    expect([...parseResourceScope('patient/Observation.write')!.permissions]).toEqual(['c', 'u', 'd']);
    expect([...parseResourceScope('user/*.*')!.permissions]).toEqual(['c', 'r', 'u', 'd', 's']);
    expect([...parseResourceScope('patient/Observation.cu')!.permissions]).toEqual(['c', 'u']);
    expect(parseResourceScope('system/*.rs')).toMatchObject({ context: 'system', resourceType: '*' });
  });

  it('accepts v2 query suffixes and refuses malformed scopes', () => {
    expect(parseResourceScope('patient/Observation.rs?category=survey')?.resourceType).toBe('Observation');
    expect(parseResourceScope('patient/Observation.sr')).toBeUndefined();
    expect(parseResourceScope('patient/observation.read')).toBeUndefined();
    expect(parseResourceScope('admin/*.read')).toBeUndefined();
    expect(parseResourceScope('patient/Observation.')).toBeUndefined();
  });

  it('grants only what it understands, once each', () => {
    const p = parseScopes('openid fhirUser launch  patient/*.read made-up patient/*.read offline_access');
    expect(p.granted).toEqual(['openid', 'fhirUser', 'launch', 'patient/*.read', 'offline_access']);
    expect(p.resources).toHaveLength(1);
    expect(p.has('offline_access')).toBe(true);
    expect(parseScopes(undefined).granted).toEqual([]);
  });
});
