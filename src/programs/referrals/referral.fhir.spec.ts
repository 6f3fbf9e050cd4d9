import type { Bundle, ServiceRequest, Task } from 'fhir/r4.js';
import { r4SchemaErrors } from '../../../test/support/fhir-r4-schema.js';
import { APP_DEVICE, fullUrlOf, referenceTo } from '../../fhir/business-identifier.js';
import { transactionBundle } from '../../fhir/write-back.fhir.js';
import { JOURNEY_STATES } from './journey.rules.js';
import { withdrawalReasonConcept } from '../enrolments/withdrawal-reasons.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { referralEntries, serviceRequestOf, taskStatusOf, type ReferralFacts } from './referral.fhir.js';

const facts: ReferralFacts = {
  referralId: '7d0b7f0e-3f9a-4c57-9a43-1f6b2f0c0a01',
  patientId: 'synthetic-p1',
  caregivers: ['RelatedPerson/synthetic-rp1'],
  programTitle: 'Mindful Self-Compassion for ALS',
  canonical: 'https://als-wellness.example.org/fhir/PlanDefinition/mindful-self-compassion-als|1.0.0',
  reason: 'Low mood since diagnosis; interested in the group',
  priority: 'routine',
  requester: 'Practitioner/synthetic-c1',
  authoredOn: '2026-02-02T09:00:00.000Z',
  lastModified: '2026-02-02T09:00:00.000Z',
  state: 'referred',
  screeningOutcome: null,
  statusReason: null,
};
const bundleOf = (f: ReferralFacts, previous: ReferralFacts['state'] | null): Bundle =>
  transactionBundle(referralEntries(f, previous), { agent: { reference: f.requester }, recorded: f.lastModified });

describe('a referral in FHIR', () => {
  it('is a ServiceRequest (order, referral category) and a fulfil Task whose focus is it', () => {
    const b = bundleOf(facts, null);
    expect(r4SchemaErrors(b)).toEqual([]);
    const [srEntry, taskEntry] = b.entry!;
    const sr = srEntry.resource as ServiceRequest;
    expect(sr).toMatchObject({
      status: 'active',
      intent: 'order',
      priority: 'routine',
      subject: { reference: 'Patient/synthetic-p1' },
      requester: { reference: 'Practitioner/synthetic-c1' },
      instantiatesCanonical: [facts.canonical],
      reasonCode: [{ text: facts.reason }],
      supportingInfo: [{ reference: 'RelatedPerson/synthetic-rp1', type: 'RelatedPerson', display: 'Caregiver' }],
    });
    expect(sr.category![0].coding![0]).toEqual({ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' });
    const task = taskEntry.resource as Task;
    expect(task).toMatchObject({ status: 'requested', intent: 'order', for: { reference: 'Patient/synthetic-p1' } });
    expect(task.code!.coding![0]).toMatchObject({ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' });
    expect(task.focus!.reference).toBe(srEntry.fullUrl);
    expect(srEntry.request!.method).toBe('POST');
    expect(taskEntry.request!.method).toBe('POST');
  });

  it('updates the Task on each change, and the ServiceRequest only when its own status changes', () => {
    const screened = bundleOf({ ...facts, state: 'screened', screeningOutcome: 'eligible' }, 'referred');
    expect(screened.entry![0].request).toMatchObject({ method: 'POST' }); // a no-op create: the focus still resolves
    expect(screened.entry![1].request!.method).toBe('PUT');
    const task = screened.entry![1].resource as Task;
    expect(task.status).toBe('received');
    expect(task.businessStatus!.coding![0]).toMatchObject({ code: 'eligible' });
    expect(task.focus!.reference).toBe(fullUrlOf(writeBackIds.serviceRequest(facts.referralId)));
    expect(r4SchemaErrors(screened)).toEqual([]);

    const withdrawn = bundleOf({ ...facts, state: 'withdrawn', statusReason: withdrawalReasonConcept('fatigue') }, 'active');
    expect(withdrawn.entry![0].request!.method).toBe('PUT');
    expect((withdrawn.entry![0].resource as ServiceRequest).status).toBe('revoked');
    expect((withdrawn.entry![1].resource as Task).statusReason!.coding![0].code).toBe('fatigue');
    expect(r4SchemaErrors(withdrawn)).toEqual([]);
  });

  it('maps every journey state to a valid Task status along the issue’s path', () => {
    expect(JOURNEY_STATES.map(taskStatusOf)).toEqual(['requested', 'received', 'accepted', 'rejected', 'in-progress', 'in-progress', 'completed', 'cancelled']);
    for (const state of JOURNEY_STATES) {
      const b = transactionBundle(referralEntries({ ...facts, state }, 'referred'), { agent: APP_DEVICE, recorded: facts.lastModified });
      expect(r4SchemaErrors(b)).toEqual([]);
    }
  });

  it('names the enrolment\'s CarePlan as the Task\'s output once the same Bundle writes it, and not before', () => {
    const carePlan = referenceTo(writeBackIds.carePlan('e-1'));
    const entries = referralEntries({ ...facts, state: 'enrolled', carePlan }, 'accepted');
    expect((entries[1].resource as Task).output).toEqual([{ type: { text: 'Enrolment' }, valueReference: carePlan }]);
    expect((referralEntries({ ...facts, state: 'accepted' }, 'screened')[1].resource as Task).output).toBeUndefined();
  });

  it('leaves supportingInfo out when no caregiver is referred', () => {
    expect(serviceRequestOf({ ...facts, caregivers: [] }).supportingInfo).toBeUndefined();
  });
});
