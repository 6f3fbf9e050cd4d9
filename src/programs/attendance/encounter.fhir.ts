import type { Encounter, Reference } from 'fhir/r4.js';
import { isoWithOffset } from '../cohorts/zoned-time.js';
import { patientRef, ref } from '../../fhir/references.js';
import { ACT_CODE_SYSTEM, PARTICIPATION_TYPE_SYSTEM } from '../shared/program-codes.js';

/** A patient's attendance at one session; plain data so the mapper stays pure. */
export interface EncounterFacts {
  patientId: string;
  /** false after a correction (attended → absent): the Encounter is withdrawn as entered-in-error. */
  attended: boolean;
  /** Caregivers who came with the patient, `RelatedPerson/<id>`. */
  caregivers: readonly string[];
  facilitator: string;
  programTitle: string;
  sequence: number;
  online: boolean;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  appointment: Reference;
  basedOn: Reference;
}

const coded = (code: string, display: string) => [{ coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code, display }] }];

/**
 * One Encounter per attending patient per session (R4 Encounter.subject cannot be a RelatedPerson, so a
 * caregiver's attendance shows as a participant of the patient's Encounter; a caregiver who came alone is
 * kept in our database only).
 */
export function encounterOf(f: EncounterFacts): Encounter {
  return {
    resourceType: 'Encounter',
    status: f.attended ? 'finished' : 'entered-in-error',
    class: f.online
      ? { system: ACT_CODE_SYSTEM, code: 'VR', display: 'virtual' }
      : { system: ACT_CODE_SYSTEM, code: 'AMB', display: 'ambulatory' },
    serviceType: { text: f.programTitle },
    type: [{ text: `${f.programTitle}: session ${f.sequence}` }],
    subject: patientRef(f.patientId),
    basedOn: [f.basedOn],
    participant: [
      { type: coded('PPRF', 'primary performer'), individual: ref(f.facilitator) },
      ...f.caregivers.map((c) => ({ type: coded('PART', 'Participation'), individual: ref(c) })),
    ],
    appointment: [f.appointment],
    period: { start: isoWithOffset(f.startsAt.getTime(), f.timeZone), end: isoWithOffset(f.endsAt.getTime(), f.timeZone) },
  };
}
