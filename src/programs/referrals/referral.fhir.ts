import type { CodeableConcept, Reference, ServiceRequest, Task } from 'fhir/r4.js';
import { referenceTo } from '../../fhir/business-identifier.js';
import type { WriteBackEntry } from '../../fhir/write-back.fhir.js';
import type { JourneyState } from './journey.rules.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { patientRef, ref } from '../../fhir/references.js';
import { programCoding, REFERRAL_CATEGORY, TASK_CODE_SYSTEM } from '../shared/program-codes.js';
import { SCREENING_OUTCOME_DISPLAY, type ScreeningOutcome } from './eligibility.rules.js';
import type { Priority } from './referral.entity.js';

/** What the EHR is told about a referral; plain data so the mapper stays pure. */
export interface ReferralFacts {
  referralId: string;
  patientId: string;
  caregivers: readonly string[];
  programTitle: string;
  /** `PlanDefinition url|version`. */
  canonical: string;
  reason: string;
  priority: Priority;
  requester: string;
  authoredOn: string;
  lastModified: string;
  state: JourneyState;
  screeningOutcome: ScreeningOutcome | null;
  /** Why it was declined or withdrawn. */
  statusReason: CodeableConcept | null;
  /**
   * The enrolment's CarePlan, when the same Bundle writes it (enrolment, withdrawal, completion: every Task
   * update after enrolment, so the full replacement never loses it).
   */
  carePlan?: Reference | null;
}

type TaskStatus = Task['status'];
type RequestStatus = ServiceRequest['status'];

/** The referral Task follows the journey: requested → received → accepted → in-progress → completed, or rejected / cancelled. */
const TASK_STATUS: Record<JourneyState, TaskStatus> = {
  referred: 'requested',
  screened: 'received',
  accepted: 'accepted',
  declined: 'rejected',
  enrolled: 'in-progress',
  active: 'in-progress',
  completed: 'completed',
  withdrawn: 'cancelled',
};

const REQUEST_STATUS: Record<JourneyState, RequestStatus> = {
  referred: 'active',
  screened: 'active',
  accepted: 'active',
  declined: 'revoked',
  enrolled: 'active',
  active: 'active',
  completed: 'completed',
  withdrawn: 'revoked',
};

export const taskStatusOf = (s: JourneyState): TaskStatus => TASK_STATUS[s];
export const serviceRequestStatusOf = (s: JourneyState): RequestStatus => REQUEST_STATUS[s];

export function serviceRequestOf(f: ReferralFacts): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    status: serviceRequestStatusOf(f.state),
    intent: 'order',
    category: [REFERRAL_CATEGORY],
    priority: f.priority,
    code: { text: f.programTitle },
    instantiatesCanonical: [f.canonical],
    subject: patientRef(f.patientId),
    authoredOn: f.authoredOn,
    requester: ref(f.requester),
    reasonCode: [{ text: f.reason }],
    // The caregivers referred with the patient (they join the sessions and the CarePlan's care team).
    ...(f.caregivers.length ? { supportingInfo: f.caregivers.map((c) => ({ ...ref(c), display: 'Caregiver' })) } : {}),
  };
}

export function referralTaskOf(f: ReferralFacts, focus: Reference): Task {
  return {
    resourceType: 'Task',
    status: taskStatusOf(f.state),
    intent: 'order',
    priority: f.priority,
    code: { coding: [{ system: TASK_CODE_SYSTEM, code: 'fulfill', display: 'Fulfill the focal request' }] },
    description: `Referral to ${f.programTitle}`,
    focus,
    for: patientRef(f.patientId),
    authoredOn: f.authoredOn,
    lastModified: f.lastModified,
    requester: ref(f.requester),
    ...(f.screeningOutcome
      ? { businessStatus: { coding: [programCoding(f.screeningOutcome, SCREENING_OUTCOME_DISPLAY[f.screeningOutcome])], text: SCREENING_OUTCOME_DISPLAY[f.screeningOutcome] } }
      : {}),
    ...(f.statusReason ? { statusReason: f.statusReason } : {}),
    // The referral led to this enrolment: R4 CarePlan.basedOn cannot point back at a ServiceRequest, so the
    // link lives here (and as CarePlan.supportingInfo → ServiceRequest).
    ...(f.carePlan ? { output: [{ type: { text: 'Enrolment' }, valueReference: f.carePlan }] } : {}),
  };
}

/**
 * The referral's entries of a write-back Bundle. The ServiceRequest is always included so the Task's focus
 * resolves inside the Bundle: created on the first write; later a no-op conditional create, or a conditional
 * update when its own status changes (completed, revoked). The Task is created once, then updated.
 */
export function referralEntries(f: ReferralFacts, previous: JourneyState | null): WriteBackEntry[] {
  const srId = writeBackIds.serviceRequest(f.referralId);
  const srChanged = previous !== null && serviceRequestStatusOf(previous) !== serviceRequestStatusOf(f.state);
  return [
    { resource: serviceRequestOf(f), businessIdentifier: srId, mode: srChanged ? 'update' : 'create' },
    { resource: referralTaskOf(f, referenceTo(srId)), businessIdentifier: writeBackIds.referralTask(f.referralId), mode: previous === null ? 'create' : 'update' },
  ];
}
