import type { Resource } from 'fhir/r4.js';
import { parseFhirDate } from './fhir-date.js';
import { indexResource, normalizeReference } from './resource-index.js';

const ISS = 'http://127.0.0.1:3000/sandbox/fhir';

describe('resource index', () => {
  it('normalises relative, absolute same-server and versioned references', () => {
    expect(normalizeReference('Patient/p1', ISS)).toBe('Patient/p1');
    expect(normalizeReference(`${ISS}/Patient/p1`, ISS)).toBe('Patient/p1');
    expect(normalizeReference('Patient/p1/_history/2', ISS)).toBe('Patient/p1');
    expect(normalizeReference('https://other.example/fhir/Patient/p1', ISS)).toBeUndefined();
    expect(normalizeReference('urn:uuid:1234', ISS)).toBeUndefined();
  });

  it('indexes references, the compartment patient and the main date', () => {
    const task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      for: { reference: 'Patient/p1' },
      focus: { reference: 'ServiceRequest/sr1' },
      basedOn: [{ reference: 'CarePlan/cp1' }],
      authoredOn: '2025-02-03',
    } as Resource;
    const idx = indexResource(task, ISS);
    expect(idx.patientRef).toBe('Patient/p1');
    expect(idx.refs).toEqual(['based-on=CarePlan/cp1', 'focus=ServiceRequest/sr1', 'patient=Patient/p1']);
    expect(idx.mainDate?.toISOString()).toBe('2025-02-03T00:00:00.000Z');
  });

  it('puts a Patient in its own compartment and an Appointment in its participant patient\'s', () => {
    expect(indexResource({ resourceType: 'Patient', id: 'p9' }, ISS).patientRef).toBe('Patient/p9');
    const appt = { resourceType: 'Appointment', participant: [{ actor: { reference: 'Practitioner/x' } }, { actor: { reference: 'Patient/p2' } }] };
    expect(indexResource(appt as Resource, ISS).patientRef).toBe('Patient/p2');
  });

  it('falls back to meta.lastUpdated for the main date', () => {
    const idx = indexResource({ resourceType: 'Practitioner', meta: { lastUpdated: '2025-01-01T10:00:00.000Z' } }, ISS);
    expect(idx.mainDate?.toISOString()).toBe('2025-01-01T10:00:00.000Z');
  });
});

describe('FHIR dates', () => {
  it('reads each precision as the interval it covers', () => {
    expect(parseFhirDate('2024')).toEqual({ from: new Date('2024-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') });
    expect(parseFhirDate('2024-02')?.to).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(parseFhirDate('2024-02-29')?.to).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(parseFhirDate('2024-02-29T10:00:00+02:00')?.from).toEqual(new Date('2024-02-29T08:00:00Z'));
  });

  it('refuses what is not a date', () => {
    expect(parseFhirDate('yesterday')).toBeUndefined();
    expect(parseFhirDate('2023-02-30')).toBeUndefined();
  });
});
