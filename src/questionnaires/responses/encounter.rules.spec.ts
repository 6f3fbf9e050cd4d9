import { DomainError } from '../../common/errors/domain-error.js';
import { encounterFor, readSentEncounter, type EncounterQuestion, type EncounterSession } from './encounter.rules.js';

const ISSUER = 'https://ehr.test/fhir';
const visit: EncounterSession = { encounterId: 'enc-1', patientId: 'p1', issuer: ISSUER };
const noVisit: EncounterSession = { encounterId: null, patientId: 'p1', issuer: ISSUER };
const sent = (reference: string) => ({ reference });
const stored = (status: string, encounter?: string) => ({ status, resource: encounter ? { encounter: { reference: encounter } } : {} });

/** The error code the rule answers, 'none' when it decides. */
function refusal(q: EncounterQuestion): string {
  try {
    encounterFor(q);
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'none';
}
const ask = (q: Partial<EncounterQuestion>): EncounterQuestion => ({ session: visit, patientId: 'p1', sent: undefined, existing: null, ...q });

describe("the response's encounter", () => {
  it("records the launch's encounter on a new response for the launch's patient, whether or not the client names it", () => {
    expect(encounterFor(ask({}))).toBe('Encounter/enc-1');
    expect(encounterFor(ask({ sent: sent('Encounter/enc-1') }))).toBe('Encounter/enc-1');
    // Absolute on the session's own FHIR base is the same encounter.
    expect(encounterFor(ask({ sent: sent(`${ISSUER}/Encounter/enc-1`) }))).toBe('Encounter/enc-1');
  });

  it('records none without an encounter in the launch, or for another patient than the launch came with', () => {
    expect(encounterFor(ask({ session: noVisit }))).toBeNull();
    expect(encounterFor(ask({ session: { ...visit, patientId: null } }))).toBeNull();
    expect(encounterFor(ask({ patientId: 'p2' }))).toBeNull();
  });

  it('refuses (403) an encounter the session cannot vouch for: another one, another server\'s, or any when the launch had none', () => {
    expect(refusal(ask({ sent: sent('Encounter/enc-2') }))).toBe('QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT');
    expect(refusal(ask({ sent: sent('https://other.test/fhir/Encounter/enc-1') }))).toBe('QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT');
    expect(refusal(ask({ session: noVisit, sent: sent('Encounter/enc-1') }))).toBe('QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT');
    expect(refusal(ask({ patientId: 'p2', sent: sent('Encounter/enc-1') }))).toBe('QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT');
  });

  it('refuses (400) a malformed encounter', () => {
    for (const bad of ['Patient/p1', 'Encounter/', 'Encounter/a b', 'Encounter/enc-1/_history/2', 'enc-1', '']) {
      expect(refusal(ask({ sent: sent(bad) }))).toBe('QUESTIONNAIRES.INVALID_RESPONSE');
    }
    for (const bad of ['Encounter/enc-1', { identifier: { value: 'enc-1' } }, { reference: 7 }, [{ reference: 'Encounter/enc-1' }], null]) {
      expect(() => readSentEncounter(bad)).toThrow(DomainError);
    }
    expect(readSentEncounter(undefined)).toBeUndefined();
    expect(readSentEncounter({ reference: 'Encounter/enc-1', display: 'Visit' })).toEqual({ reference: 'Encounter/enc-1' });
  });

  it('keeps a saved response\'s encounter in any session, and refuses (400) to change it', () => {
    const draft = stored('in-progress', 'Encounter/enc-1');
    expect(encounterFor(ask({ session: noVisit, existing: draft }))).toBe('Encounter/enc-1');
    // The player resends what it loaded, in a later launch with another visit.
    expect(encounterFor(ask({ session: { ...visit, encounterId: 'enc-9' }, existing: draft, sent: sent('Encounter/enc-1') }))).toBe('Encounter/enc-1');
    expect(refusal(ask({ existing: draft, sent: sent('Encounter/enc-2') }))).toBe('QUESTIONNAIRES.INVALID_RESPONSE');
    expect(refusal(ask({ existing: stored('completed', 'Encounter/enc-1'), sent: sent('Encounter/enc-2') }))).toBe('QUESTIONNAIRES.INVALID_RESPONSE');
  });

  it('gives a draft without one the visit it is finished in, but never adds one to a submitted response', () => {
    expect(encounterFor(ask({ existing: stored('in-progress') }))).toBe('Encounter/enc-1');
    expect(encounterFor(ask({ existing: stored('completed') }))).toBeNull();
    expect(refusal(ask({ existing: stored('amended'), sent: sent('Encounter/enc-1') }))).toBe('QUESTIONNAIRES.INVALID_RESPONSE');
  });
});
