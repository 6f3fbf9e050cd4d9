import type { DomainError } from '../../common/errors/domain-error.js';
import { assertRecordable, attendanceByEnrolment, matchParticipants, type Eligible } from './attendance.rules.js';

const eligible: Eligible[] = [
  { participantId: 'pp1', enrolmentId: 'e1', patientId: 'p1', person: 'Patient/p1', role: 'patient' },
  { participantId: 'pc1', enrolmentId: 'e1', patientId: 'p1', person: 'RelatedPerson/c1', role: 'caregiver' },
  { participantId: 'pp2', enrolmentId: 'e2', patientId: 'p2', person: 'Patient/p2', role: 'patient' },
];

describe('attendance rules', () => {
  it('pairs every entry with its participant', () => {
    const m = matchParticipants([{ person: 'Patient/p1', status: 'attended' }, { person: 'RelatedPerson/c1', status: 'excused' }], eligible);
    expect(m.map((x) => x.who.participantId)).toEqual(['pp1', 'pc1']);
  });

  it('refuses the whole list when anyone is not a participant, naming each', () => {
    try {
      matchParticipants([{ person: 'Patient/p1', status: 'attended' }, { person: 'Patient/stranger', status: 'attended' }], eligible);
      throw new Error('should have thrown');
    } catch (e) {
      expect((e as DomainError).code).toBe('PROGRAMS.NOT_A_PARTICIPANT');
      expect((e as DomainError).issues).toEqual([{ message: 'Patient/stranger is not enrolled in this session', expression: 'attendance[1].person' }]);
    }
  });

  it('records nothing for a cancelled or not yet started session', () => {
    const now = new Date('2026-03-12T12:00:00Z');
    expect(() => assertRecordable({ status: 'booked', startsAt: new Date('2026-03-12T11:00:00Z') }, now)).not.toThrow();
    expect(() => assertRecordable({ status: 'fulfilled', startsAt: new Date('2026-03-05T11:00:00Z') }, now)).not.toThrow();
    expect(() => assertRecordable({ status: 'cancelled', startsAt: new Date('2026-03-05T11:00:00Z') }, now)).toThrow(expect.objectContaining({ code: 'PROGRAMS.SESSION_CLOSED' }));
    expect(() => assertRecordable({ status: 'booked', startsAt: new Date('2026-03-19T11:00:00Z') }, now)).toThrow(expect.objectContaining({ code: 'PROGRAMS.SESSION_NOT_STARTED' }));
  });

  it('summarises a session per enrolment: the patient, and the caregivers who came', () => {
    const s = attendanceByEnrolment([
      { enrolmentId: 'e1', role: 'patient', person: 'Patient/p1', status: 'attended' },
      { enrolmentId: 'e1', role: 'caregiver', person: 'RelatedPerson/c1', status: 'attended' },
      { enrolmentId: 'e2', role: 'patient', person: 'Patient/p2', status: 'absent' },
      { enrolmentId: 'e3', role: 'caregiver', person: 'RelatedPerson/c3', status: 'attended' },
    ]);
    expect(s.get('e1')).toEqual({ patientAttended: true, caregiversAttended: ['RelatedPerson/c1'] });
    expect(s.get('e2')).toEqual({ patientAttended: false, caregiversAttended: [] });
    expect(s.get('e3')).toEqual({ patientAttended: null, caregiversAttended: ['RelatedPerson/c3'] });
  });
});
