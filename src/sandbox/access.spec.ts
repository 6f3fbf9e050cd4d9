import { SandboxError } from './sandbox-errors.js';
import { assertInCompartment, permit, type SandboxAccess } from './access.js';
import { parseScopes } from './scopes.js';

function access(scope: string, patientId: string | null = 'p1'): SandboxAccess {
  return { clientId: 'c', scopes: parseScopes(scope).resources, patientId, userRef: null };
}

describe('scope enforcement', () => {
  it('limits patient/ scopes to the launch patient on compartment types', () => {
    expect(permit(access('patient/*.read'), 'Observation', 'r')).toBe('Patient/p1');
    expect(permit(access('patient/*.read'), 'Patient', 's')).toBe('Patient/p1');
  });

  it('does not limit user/ and system/ scopes, nor types outside the compartment', () => {
    expect(permit(access('user/*.read'), 'Observation', 'r')).toBeNull();
    expect(permit(access('system/Observation.cruds'), 'Observation', 'c')).toBeNull();
    expect(permit(access('patient/*.read'), 'Practitioner', 'r')).toBeNull();
    expect(permit(access('patient/*.read user/Observation.rs'), 'Observation', 'r')).toBeNull();
  });

  it('understands v1 write and v2 cu alike', () => {
    expect(permit(access('patient/Observation.write'), 'Observation', 'c')).toBe('Patient/p1');
    expect(permit(access('patient/Observation.cu'), 'Observation', 'u')).toBe('Patient/p1');
    expect(() => permit(access('patient/Observation.cu'), 'Observation', 'r')).toThrow(SandboxError);
  });

  it('refuses other types, missing permissions and patient scopes without a patient', () => {
    expect(() => permit(access('patient/Observation.read'), 'Condition', 'r')).toThrow(/do not allow read on Condition/);
    expect(() => permit(access('patient/*.read'), 'Observation', 'c')).toThrow(SandboxError);
    expect(() => permit(access('patient/*.read', null), 'Observation', 'r')).toThrow(/patient in context/);
  });

  it('checks a resource against the compartment', () => {
    expect(() => assertInCompartment('Patient/p1', 'Patient/p1')).not.toThrow();
    expect(() => assertInCompartment(null, null)).not.toThrow();
    expect(() => assertInCompartment('Patient/p1', 'Patient/p2')).toThrow(SandboxError);
    expect(() => assertInCompartment('Patient/p1', null)).toThrow(SandboxError);
  });
});
