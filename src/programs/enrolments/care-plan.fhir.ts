import type { CarePlan, CareTeam, CodeableConcept, Reference } from 'fhir/r4.js';
import type { JourneyState } from '../referrals/journey.rules.js';
import { patientRef, ref } from '../../fhir/references.js';

/** An enrolment as the EHR sees it; plain data so the mapper stays pure. */
export interface CarePlanFacts {
  patientId: string;
  /** Active caregivers, `RelatedPerson/<id>`. */
  caregivers: readonly string[];
  facilitator: string;
  programTitle: string;
  /** `PlanDefinition url|version` of the version the enrolment keeps. */
  canonical: string;
  state: JourneyState;
  startDate: string;
  endDate: string | null;
  author: string;
  created: string;
  /** The referral's ServiceRequest (a reference into the same Bundle): CarePlan.supportingInfo. */
  referral: Reference;
  /** The sessions' Appointments (logical references: they travel in other Bundles). */
  activities: readonly Reference[];
  withdrawalReason: CodeableConcept | null;
  cohortName: string | null;
}

const CARE_PLAN_STATUS: Partial<Record<JourneyState, CarePlan['status']>> = {
  enrolled: 'active',
  active: 'active',
  completed: 'completed',
  withdrawn: 'revoked',
};

export function carePlanStatusOf(state: JourneyState): CarePlan['status'] {
  const s = CARE_PLAN_STATUS[state];
  if (!s) throw new Error(`An enrolment has no CarePlan in state '${state}'`);
  return s;
}

/**
 * The enrolment as a CarePlan: instantiates the PlanDefinition version, for the patient; caregivers and the
 * facilitator are a contained CareTeam (R4 CarePlan has no participant element). The referral it came from is
 * `supportingInfo` (Reference(Any)): R4's CarePlan.basedOn may only point at another CarePlan, and a strict
 * EHR refuses a ServiceRequest there. The other direction is the referral Task's `output` (referral.fhir.ts).
 */
export function carePlanOf(f: CarePlanFacts): CarePlan {
  const status = carePlanStatusOf(f.state);
  const period = { start: f.startDate, ...(f.endDate ? { end: f.endDate } : {}) };
  const team: CareTeam = {
    resourceType: 'CareTeam',
    id: 'care-team',
    status: status === 'active' ? 'active' : 'inactive',
    subject: patientRef(f.patientId),
    participant: [
      { role: [{ text: 'Patient' }], member: patientRef(f.patientId) },
      ...f.caregivers.map((c) => ({ role: [{ text: 'Caregiver' }], member: ref(c) })),
      { role: [{ text: 'Facilitator' }], member: ref(f.facilitator) },
    ],
  };
  return {
    resourceType: 'CarePlan',
    contained: [team],
    instantiatesCanonical: [f.canonical],
    status,
    intent: 'plan',
    title: f.programTitle,
    ...(f.cohortName ? { description: `${f.programTitle} (${f.cohortName})` } : {}),
    subject: patientRef(f.patientId),
    period,
    created: f.created,
    author: ref(f.author),
    careTeam: [{ reference: '#care-team' }],
    supportingInfo: [{ ...f.referral, display: 'Referral' }],
    ...(f.activities.length ? { activity: f.activities.map((a) => ({ reference: a })) } : {}),
    ...(f.withdrawalReason ? { note: [{ text: `Withdrawn: ${f.withdrawalReason.text ?? f.withdrawalReason.coding?.[0]?.display}` }] } : {}),
  };
}
