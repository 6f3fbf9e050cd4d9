import { canonicalPatientId, patientReferencesIn, patientsNamedIn } from './patient-id.js';
import { declaredPatients, requestPatients, resultPatients, showsPatients } from './read-patients.js';

describe('canonicalPatientId', () => {
  it('keeps one form, the bare id', () => {
    expect(canonicalPatientId('123')).toBe('123');
    expect(canonicalPatientId('Patient/123')).toBe('123');
    expect(canonicalPatientId('pat-a.1')).toBe('pat-a.1');
  });

  it('gives null for what is not a patient', () => {
    for (const v of ['cohort/4f1c', 'RelatedPerson/1', 'Practitioner/2', 'https://ehr/fhir/Patient/1', 'Patient/1/_history/2', '', 'a b', 'x'.repeat(65), null, undefined, 7]) {
      expect(canonicalPatientId(v)).toBeNull();
    }
  });
});

describe('patientReferencesIn', () => {
  it('finds every Patient reference in a Bundle, each once', () => {
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Appointment', participant: [{ actor: { reference: 'Patient/a' } }, { actor: { reference: 'RelatedPerson/r' } }, { actor: { reference: 'Patient/b' } }] } },
        { resource: { resourceType: 'Encounter', subject: { reference: 'Patient/a' }, basedOn: [{ identifier: { value: 'Patient/not-a-reference' } }] } },
      ],
    };
    expect([...patientReferencesIn(bundle)]).toEqual(['a', 'b']);
  });
});

describe('the patients of a read', () => {
  const user = { patientId: 'ctx' };

  it('reads route and query parameters and the session, canonicalised, each once', () => {
    const spec = { patients: ['session' as const, { param: 'id' }, { query: 'patient' }] };
    expect([...requestPatients(spec, { user, params: { id: 'Patient/p1' }, query: { patient: 'ctx' } })]).toEqual(['ctx', 'p1']);
    expect([...requestPatients(spec, { user: { patientId: null }, params: {}, query: {} })]).toEqual([]);
  });

  it('splits a listed query parameter, and drops what is not a patient', () => {
    const spec = { patients: [{ query: 'ids', list: true }] };
    expect([...requestPatients(spec, { query: { ids: 'a,b,,cohort/x,a' } })]).toEqual(['a', 'b']);
    expect([...requestPatients(spec, { query: { ids: Array.from({ length: 150 }, (_, i) => `p${i}`).join(',') } })]).toHaveLength(100);
  });

  it('bounds the patients a query names in all, however the parameter is repeated', () => {
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    // ?ids=a,b…&ids=c,d…: 40 lists of 30, refused by the route, must not become 1 200 audit rows.
    const lists = Array.from({ length: 40 }, (_, k) => many(30, `l${k}-`).join(','));
    expect(requestPatients({ patients: [{ query: 'ids', list: true }] }, { query: { ids: lists } }).size).toBe(100);
    // ?patient=a&patient=b…
    expect(requestPatients({ patients: [{ query: 'patient' }] }, { query: { patient: many(500, 'r') } }).size).toBe(100);
    // The session's patient is still named beside a long query.
    const both = requestPatients({ patients: [{ query: 'patient' }, 'session'] }, { user: { patientId: 'ctx' }, query: { patient: many(500, 'r') } });
    expect(both.has('ctx')).toBe(true);
    expect(both.size).toBe(101);
  });

  it("reads a field of the answer, or of each of its elements, or a function's patients", () => {
    expect([...resultPatients({ patients: [{ result: 'patientId' }] }, [{ patientId: 'a' }, { patientId: 'b' }, { patientId: 'a' }, { other: 1 }])]).toEqual(['a', 'b']);
    expect([...resultPatients({ patients: [{ result: 'patientId' }] }, { patientId: 'a' })]).toEqual(['a']);
    expect([...resultPatients({ patients: [{ result: 'fhirUser' }] }, [{ fhirUser: 'Patient/a' }, { fhirUser: 'Practitioner/b' }])]).toEqual(['a']);
    const entry = (d: { key: string }) => [d.key, 'x'];
    expect([...resultPatients({ patients: [{ result: entry as never }] }, { key: 'cohort/1' })]).toEqual(['x']);
    expect([...resultPatients({ patients: [{ query: 'patient' }] }, [{ patientId: 'a' }])]).toEqual([]);
  });

  it('reads the patients a handler declared before it failed (a read of the EHR attempted), only for a route that takes them', () => {
    const req = {};
    expect([...declaredPatients({ patients: ['shown'] }, req)]).toEqual([]);
    showsPatients(req, ['Patient/a', null]);
    expect([...declaredPatients({ patients: ['shown'] }, req, new Set(['b']))]).toEqual(['b', 'a']);
    expect([...declaredPatients({ patients: ['session'] }, req)]).toEqual([]);
  });

  it("reads the patients a handler declared as shown, without them in the answer, on success", () => {
    const req = {};
    showsPatients(req, ['a', 'Patient/b', null, 'RelatedPerson/r']);
    showsPatients(req, ['a']);
    const answer = [{ reference: 'RelatedPerson/r', name: 'Morgan Carer' }];
    expect([...resultPatients({ patients: ['shown'] }, answer, new Set(), req)]).toEqual(['a', 'b']);
    expect([...requestPatients({ patients: ['shown'] }, req)]).toEqual([]);
    expect([...resultPatients({ patients: ['shown'] }, answer, new Set(), {})]).toEqual([]);
  });
});

describe('patientsNamedIn', () => {
  it('finds every Patient/<id> written in free text, and nothing else', () => {
    const error = { outcome: { issue: [{ diagnostics: 'Patient/p-1 unknown; see https://ehr/fhir/Patient/p.2/_history/3', expression: ['Patient/p-1'] }] } };
    expect([...patientsNamedIn(error)]).toEqual(['p-1', 'p.2']);
    expect([...patientsNamedIn('RelatedPatient/x, cohort/1, Patient/ , NotPatient/y')]).toEqual([]);
    expect([...patientsNamedIn(null)]).toEqual([]);
  });
});
