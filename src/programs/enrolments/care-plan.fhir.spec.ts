import type { CarePlan, CareTeam } from 'fhir/r4.js';
import { r4Problems } from '../../../test/programs-support/r4-rules.js';
import { referenceTo } from '../../fhir/business-identifier.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { logicalRef } from '../../fhir/references.js';
import { carePlanOf, carePlanStatusOf, type CarePlanFacts } from './care-plan.fhir.js';
import { withdrawalReasonConcept } from './withdrawal-reasons.js';

const facts: CarePlanFacts = {
  patientId: 'synthetic-p1',
  caregivers: ['RelatedPerson/synthetic-rp1'],
  facilitator: 'Practitioner/synthetic-f1',
  programTitle: 'Mindful Self-Compassion for ALS',
  canonical: 'https://als-wellness.example.org/fhir/PlanDefinition/mindful-self-compassion-als|1.0.0',
  state: 'enrolled',
  startDate: '2026-03-05',
  endDate: null,
  author: 'Practitioner/synthetic-c1',
  created: '2026-02-20T10:00:00.000Z',
  referral: referenceTo(writeBackIds.serviceRequest('r-1')),
  activities: [logicalRef('Appointment', writeBackIds.appointment('s-1'))],
  withdrawalReason: null,
  cohortName: 'Spring 2026',
};

describe('an enrolment as a CarePlan', () => {
  it('instantiates the PlanDefinition version, names the referral as supportingInfo, with caregivers in a contained CareTeam', () => {
    const cp: CarePlan = carePlanOf(facts);
    expect(r4Problems(cp)).toEqual([]);
    expect(cp).toMatchObject({
      status: 'active',
      intent: 'plan',
      instantiatesCanonical: [facts.canonical],
      subject: { reference: 'Patient/synthetic-p1' },
      period: { start: '2026-03-05' },
      careTeam: [{ reference: '#care-team' }],
    });
    // R4 CarePlan.basedOn is Reference(CarePlan): the referral's ServiceRequest is supportingInfo (Reference(Any)).
    expect(cp.basedOn).toBeUndefined();
    expect(cp.supportingInfo).toEqual([{ reference: referenceTo(writeBackIds.serviceRequest('r-1')).reference, display: 'Referral' }]);
    const team = cp.contained![0] as CareTeam;
    expect(team.id).toBe('care-team');
    expect(team.participant!.map((p) => p.member!.reference)).toEqual(['Patient/synthetic-p1', 'RelatedPerson/synthetic-rp1', 'Practitioner/synthetic-f1']);
    expect(cp.activity![0].reference!.identifier!.value).toBe('s-1');
  });

  it('is revoked on withdrawal (with the reason as a note) and completed at the end, with the period closed', () => {
    const w = carePlanOf({ ...facts, state: 'withdrawn', endDate: '2026-03-20', withdrawalReason: withdrawalReasonConcept('hospitalisation') });
    expect(w.status).toBe('revoked');
    expect(w.period).toEqual({ start: '2026-03-05', end: '2026-03-20' });
    expect(w.note![0].text).toBe('Withdrawn: Hospitalisation');
    expect((w.contained![0] as CareTeam).status).toBe('inactive');
    expect(r4Problems(w)).toEqual([]);
    expect(carePlanOf({ ...facts, state: 'completed', endDate: '2026-04-23' }).status).toBe('completed');
  });

  it('has no CarePlan before enrolment', () => {
    expect(() => carePlanStatusOf('screened')).toThrow();
  });
});
