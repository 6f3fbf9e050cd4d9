import type { Bundle, FhirResource } from 'fhir/r4.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { FhirGateway } from '../../fhir/fhir-gateway.js';
import type { UserFhirAccess } from '../session/user-fhir-access.service.js';
import { PeopleDirectory } from './people-directory.service.js';

/** An EHR that answers every `_id` search from a fixed set of records, or refuses a type (403) or fails. */
function ehr(records: FhirResource[], refuse: Record<string, DomainError> = {}) {
  const searches: string[] = [];
  const gateway = {
    search: async (_conn: unknown, type: string, params: Record<string, string>): Promise<Bundle> => {
      searches.push(`${type}?_id=${params._id}`);
      if (refuse[type]) throw refuse[type];
      const ids = params._id.split(',');
      return { resourceType: 'Bundle', type: 'searchset', entry: records.filter((r) => r.resourceType === type && ids.includes(r.id!)).map((resource) => ({ resource })) };
    },
    read: async () => {
      throw new Error('not used: every call here asks for several people');
    },
  } as unknown as FhirGateway;
  const access = { connection: async () => ({ baseUrl: 'https://ehr.test/fhir', authorization: 'Bearer x' }) } as unknown as UserFhirAccess;
  return { directory: new PeopleDirectory(gateway, access), searches };
}

const user = (role: SessionUser['role'], patientId: string | null, sessionId = 's1') => ({ sessionId, role, patientId }) as SessionUser;
const carer = (id: string, patient: string, given: string): FhirResource => ({
  resourceType: 'RelatedPerson', id, patient: { reference: `Patient/${patient}` }, name: [{ given: [given], family: 'Carer' }], relationship: [{ text: 'Spouse' }],
});
const doctor = (id: string, given: string): FhirResource => ({ resourceType: 'Practitioner', id, name: [{ given: [given], family: 'Doe' }], qualification: [{ code: { text: 'Neurologist' } }] });

describe('PeopleDirectory', () => {
  it("never names a caregiver of a patient outside the user's context, even when the EHR returned them", async () => {
    const { directory } = ehr([carer('rp-1', 'p1', 'Morgan'), carer('rp-2', 'p2', 'Drew')]);
    const labels = await directory.labels(user('clinician', 'p1'), ['RelatedPerson/rp-1', 'RelatedPerson/rp-2']);
    expect(labels).toEqual([
      { label: { reference: 'RelatedPerson/rp-1', name: 'Morgan Carer', detail: 'Spouse' }, patientId: 'p1' },
      { label: { reference: 'RelatedPerson/rp-2', name: null, detail: null, unavailable: 'forbidden' }, patientId: null },
    ]);
    // A coordinator without a patient in context works with every patient of the EHR.
    expect((await directory.labels(user('coordinator', null, 's2'), ['RelatedPerson/rp-2', 'RelatedPerson/rp-1']))[0]).toEqual({
      label: { reference: 'RelatedPerson/rp-2', name: 'Drew Carer', detail: 'Spouse' },
      patientId: 'p2',
    });
  });

  it("says which patient each caregiver shown belongs to (for the audit), and never shows a relationship without one the user may see", async () => {
    const nameless = { resourceType: 'RelatedPerson', id: 'rp-3', patient: { reference: 'Patient/p2' }, relationship: [{ text: 'Daughter' }] } as FhirResource;
    const orphan = { resourceType: 'RelatedPerson', id: 'rp-4', name: [{ given: ['Sam'], family: 'Carer' }] } as FhirResource;
    const { directory } = ehr([carer('rp-1', 'p1', 'Morgan'), nameless, orphan, doctor('d1', 'Quinn'), doctor('d2', 'Alex')]);
    const read = await directory.labels(user('clinician', 'p1'), ['RelatedPerson/rp-1', 'RelatedPerson/rp-3', 'RelatedPerson/rp-4', 'Practitioner/d1', 'Practitioner/d2']);
    expect(read).toEqual([
      { label: { reference: 'RelatedPerson/rp-1', name: 'Morgan Carer', detail: 'Spouse' }, patientId: 'p1' },
      { label: { reference: 'RelatedPerson/rp-3', name: null, detail: null, unavailable: 'forbidden' }, patientId: null },
      { label: { reference: 'RelatedPerson/rp-4', name: null, detail: null, unavailable: 'forbidden' }, patientId: null },
      { label: { reference: 'Practitioner/d1', name: 'Quinn Doe', detail: 'Neurologist' }, patientId: null },
      { label: { reference: 'Practitioner/d2', name: 'Alex Doe', detail: 'Neurologist' }, patientId: null },
    ]);
    // The coordinator may see p2: the nameless caregiver's relationship is shown, under p2.
    expect((await directory.labels(user('coordinator', null, 's2'), ['RelatedPerson/rp-3', 'RelatedPerson/rp-1']))[0]).toEqual({
      label: { reference: 'RelatedPerson/rp-3', name: null, detail: 'Daughter', unavailable: 'no-name' },
      patientId: 'p2',
    });
  });

  it('names practitioners when the EHR refuses the caregivers (403), and says why the others have no name', async () => {
    const forbidden = new DomainError('FHIR.FORBIDDEN', 'The EHR does not allow you to see this (it answered 403 Forbidden).');
    const { directory, searches } = ehr([doctor('d1', 'Quinn'), doctor('d2', 'Alex'), carer('rp-1', 'p1', 'Morgan')], { RelatedPerson: forbidden });
    const labels = await directory.labels(user('coordinator', null), ['Practitioner/d1', 'RelatedPerson/rp-1', 'Practitioner/d2', 'RelatedPerson/rp-9']);
    expect(labels.map((r) => r.label)).toEqual([
      { reference: 'Practitioner/d1', name: 'Quinn Doe', detail: 'Neurologist' },
      { reference: 'RelatedPerson/rp-1', name: null, detail: null, unavailable: 'forbidden' },
      { reference: 'Practitioner/d2', name: 'Alex Doe', detail: 'Neurologist' },
      { reference: 'RelatedPerson/rp-9', name: null, detail: null, unavailable: 'forbidden' },
    ]);
    expect(searches).toEqual(['Practitioner?_id=d1,d2', 'RelatedPerson?_id=rp-1,rp-9']);
  });

  it('fails the call when the EHR is down, so the screen offers a retry instead of caching a blank', async () => {
    const down = new DomainError('FHIR.UNAVAILABLE', 'The EHR did not answer.');
    const { directory, searches } = ehr([doctor('d1', 'Quinn')], { Practitioner: down });
    await expect(directory.labels(user('coordinator', null), ['Practitioner/d1', 'Practitioner/d2'])).rejects.toBe(down);
    await expect(directory.labels(user('coordinator', null), ['Practitioner/d1', 'Practitioner/d2'])).rejects.toBe(down);
    expect(searches).toHaveLength(2);
  });

  it('keeps names per session only', async () => {
    const { directory, searches } = ehr([doctor('d1', 'Quinn'), doctor('d2', 'Alex')]);
    await directory.labels(user('coordinator', null, 'a'), ['Practitioner/d1', 'Practitioner/d2']);
    await directory.labels(user('coordinator', null, 'a'), ['Practitioner/d2', 'Practitioner/d1']);
    await directory.labels(user('coordinator', null, 'b'), ['Practitioner/d1', 'Practitioner/d2']);
    expect(searches).toEqual(['Practitioner?_id=d1,d2', 'Practitioner?_id=d1,d2']);
  });
});
