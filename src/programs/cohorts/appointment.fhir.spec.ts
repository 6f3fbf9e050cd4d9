import type { Appointment, Encounter } from 'fhir/r4.js';
import { r4Problems } from '../../../test/programs-support/r4-rules.js';
import { encounterOf } from '../attendance/encounter.fhir.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { logicalRef } from '../../fhir/references.js';
import { appointmentOf, heldStatus, type SessionFacts } from './appointment.fhir.js';

const session: SessionFacts = {
  programTitle: 'Mindful Self-Compassion for ALS',
  sequence: 3,
  sessionCount: 8,
  startsAt: new Date('2026-03-12T22:00:00Z'),
  endsAt: new Date('2026-03-12T23:30:00Z'),
  timeZone: 'America/New_York',
  status: 'booked',
  cancelReason: null,
  facilitator: 'Practitioner/synthetic-f1',
  people: [
    { person: 'Patient/synthetic-p1', role: 'patient', attendance: null },
    { person: 'RelatedPerson/synthetic-rp1', role: 'caregiver', attendance: null },
  ],
};

describe('a session as an Appointment', () => {
  it('is booked with local-offset times and the facilitator, patient and caregiver as participants', () => {
    const a: Appointment = appointmentOf(session);
    expect(r4Problems(a)).toEqual([]);
    expect(a).toMatchObject({ status: 'booked', start: '2026-03-12T18:00:00-04:00', end: '2026-03-12T19:30:00-04:00', minutesDuration: 90 });
    expect(a.participant.map((p) => [p.actor!.reference, p.status, p.required])).toEqual([
      ['Practitioner/synthetic-f1', 'accepted', 'required'],
      ['Patient/synthetic-p1', 'accepted', 'required'],
      ['RelatedPerson/synthetic-rp1', 'accepted', 'optional'],
    ]);
    expect(a.participant[0].type![0].coding![0].code).toBe('PPRF');
  });

  it('shows a cancellation with its reason, and an excused absence as declined', () => {
    const a = appointmentOf({ ...session, status: 'cancelled', cancelReason: 'Facilitator ill' });
    expect(a.cancelationReason).toEqual({ text: 'Facilitator ill' });
    expect(r4Problems(a)).toEqual([]);
    const held = appointmentOf({ ...session, status: 'fulfilled', people: [{ ...session.people[0], attendance: 'excused' }] });
    expect(held.participant[1].status).toBe('declined');
    expect(r4Problems(held)).toEqual([]);
  });

  it('is held when anyone attended, noshow when nobody did', () => {
    expect(heldStatus(['absent', 'attended'])).toBe('fulfilled');
    expect(heldStatus(['absent', 'excused'])).toBe('noshow');
  });

  it('catches what the JSON schema alone lets through', () => {
    const broken = { ...appointmentOf(session), participant: [{ actor: { reference: 'Patient/x' } }] };
    expect(r4Problems(broken)).toContain('Appointment.participant.status is required');
    expect(r4Problems({ ...appointmentOf(session), start: undefined })).toContain('app-3: start and end are required');
  });
});

describe('an attended session as an Encounter', () => {
  const facts = {
    patientId: 'synthetic-p1',
    attended: true,
    caregivers: ['RelatedPerson/synthetic-rp1'],
    facilitator: 'Practitioner/synthetic-f1',
    programTitle: 'Mindful Self-Compassion for ALS',
    sequence: 3,
    online: true,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    timeZone: 'America/New_York',
    appointment: logicalRef('Appointment', writeBackIds.appointment('s-3')),
    basedOn: logicalRef('ServiceRequest', writeBackIds.serviceRequest('r-1')),
  };

  it('is a finished virtual encounter for the patient, with the caregiver and facilitator as participants', () => {
    const e: Encounter = encounterOf(facts);
    expect(r4Problems(e)).toEqual([]);
    expect(e).toMatchObject({ status: 'finished', class: { code: 'VR' }, subject: { reference: 'Patient/synthetic-p1' } });
    expect(e.participant!.map((p) => [p.individual!.reference, p.type![0].coding![0].code])).toEqual([
      ['Practitioner/synthetic-f1', 'PPRF'],
      ['RelatedPerson/synthetic-rp1', 'PART'],
    ]);
    expect(e.appointment![0].identifier!.system).toBe('https://als-wellness.example.org/fhir/id/appointment');
  });

  it('is withdrawn as entered-in-error when attendance is corrected, and ambulatory for in-person sessions', () => {
    expect(encounterOf({ ...facts, attended: false }).status).toBe('entered-in-error');
    const e = encounterOf({ ...facts, online: false });
    expect(e.class.code).toBe('AMB');
    expect(r4Problems(e)).toEqual([]);
  });
});
