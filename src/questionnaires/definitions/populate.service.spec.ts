import { describe, expect, it } from '@jest/globals';
import type { OperationOutcome, Questionnaire } from 'fhir/r4.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import type { ContextResources } from '../../smart/context/context-resources.service.js';
import { EXT, LAUNCH_CONTEXT_SYSTEM } from '../engine/codes.js';
import { populateResponse } from '../engine/population.js';
import { PopulateService } from './populate.service.js';
import type { PopulationSandbox } from './population-sandbox.js';
import type { QuestionnairesService } from './questionnaires.service.js';

const context = (name: string) => ({ url: EXT.launchContext, extension: [{ url: 'name', valueCoding: { system: LAUNCH_CONTEXT_SYSTEM, code: name } }, { url: 'type', valueCode: 'Patient' }] });

/** A form stored before import refused non-SDC launch-context names: `constructor` must find nothing (not Object's). */
const stored: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://clinic.example.org/fhir/Questionnaire/odd', version: '1', status: 'active',
  extension: [context('patient'), context('constructor'), context('__proto__')],
  item: [{ linkId: 'dob', text: 'Date of birth', type: 'date', extension: [{ url: EXT.initialExpression, valueExpression: { language: 'text/fhirpath', expression: '%patient.birthDate' } }] }],
};

const user: SessionUser = {
  sessionId: 's', userId: 'u', registrationId: 'r', issuer: 'https://ehr.example.org', fhirUser: 'Practitioner/prac-1', role: 'clinician', displayName: 'Dr Test',
  patientId: 'pat-1', encounterId: null, needPatientBanner: false, smartStyleUrl: null, csrfToken: 'c',
};

describe('PopulateService with launch contexts named like Object’s own properties', () => {
  it('reads only the patient and answers issues for the others (no 500)', async () => {
    const asked: string[][] = [];
    const questionnaires = { get: async () => stored } as unknown as QuestionnairesService;
    const resources = {
      read: async (_u: SessionUser, refs: string[]) => (asked.push(refs), refs.map(() => ({ resource: { resourceType: 'Patient', id: 'pat-1', birthDate: '1970-01-02' } }))),
    } as unknown as ContextResources;
    const sandbox = { populate: async (...args: Parameters<typeof populateResponse>) => populateResponse(...args) } as unknown as PopulationSandbox;
    const out = await new PopulateService(questionnaires, resources, sandbox).populate(user, { id: 'odd' });
    expect(asked).toEqual([['Patient/pat-1']]);
    const issues = (out.parameter!.find((p) => p.name === 'issues')!.resource as OperationOutcome).issue.map((i) => i.diagnostics);
    expect(issues).toEqual(expect.arrayContaining(['Launch context constructor is not supported (patient, user, encounter are)', 'Launch context __proto__ is not supported (patient, user, encounter are)']));
  });
});
