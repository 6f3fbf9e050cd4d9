import type { Patient, Questionnaire, QuestionnaireItem, RelatedPerson } from 'fhir/r4.js';
import { EXT, LAUNCH_CONTEXT_SYSTEM } from './codes.js';
import { validateQuestionnaireImport } from './import-validation.js';
import { launchContextsOf, populateResponse, populates } from './population.js';

const fhirpath = (expression: string) => ({ language: 'text/fhirpath', expression });
const initial = (expression: string) => [{ url: EXT.initialExpression, valueExpression: fhirpath(expression) }];
const context = (name: string, type: string) => ({
  url: EXT.launchContext,
  extension: [{ url: 'name', valueCoding: { system: LAUNCH_CONTEXT_SYSTEM, code: name } }, { url: 'type', valueCode: type }],
});
const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const GENDER = 'http://hl7.org/fhir/administrative-gender';

const items: QuestionnaireItem[] = [
  { linkId: 'birth-date', text: 'Date of birth', type: 'date', extension: initial('%patient.birthDate') },
  {
    linkId: 'sex', text: 'Sex', type: 'choice', extension: initial('%patient.gender'),
    answerOption: [{ valueCoding: { system: GENDER, code: 'female', display: 'Female' } }, { valueCoding: { system: GENDER, code: 'male', display: 'Male' } }],
  },
  {
    linkId: 'relationship', text: 'Your relationship to the patient', type: 'choice', extension: initial(`%user.relationship.coding.where(system = '${ROLE}')`),
    answerOption: [{ valueCoding: { system: ROLE, code: 'SPS', display: 'Spouse' } }, { valueCoding: { system: ROLE, code: 'CHILD', display: 'Child' } }],
  },
  { linkId: 'greeting', text: 'Name', type: 'string', extension: initial("%name + ' ' + %patient.name.first().family") },
  { linkId: 'visit', text: 'Visit', type: 'reference', extension: initial('%encounter') },
  { linkId: 'hours', text: 'Hours of care a week', type: 'integer', initial: [{ valueInteger: 10 }] },
  { linkId: 'broken', text: 'Broken', type: 'string', extension: initial('%patient.name.nosuchfn()') },
  { linkId: 'many', text: 'Given names', type: 'string', extension: initial('%patient.name.given') },
  { linkId: 'later', text: 'Only for spouses', type: 'string', extension: initial("'x'"), enableWhen: [{ question: 'relationship', operator: '=', answerCoding: { system: ROLE, code: 'CHILD' } }] },
];

const form: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://clinic.example.org/fhir/Questionnaire/carer', version: '1', status: 'active',
  extension: [context('patient', 'Patient'), context('user', 'RelatedPerson'), context('encounter', 'Encounter'),
    { url: EXT.variable, valueExpression: { name: 'name', ...fhirpath('%patient.name.first().given.first()') } }],
  item: items,
};
const patient: Patient = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1968-04-12', name: [{ given: ['Avery', 'Jo'], family: 'Sample' }] };
const spouse: RelatedPerson = { resourceType: 'RelatedPerson', id: 'rp1', patient: { reference: 'Patient/p1' }, relationship: [{ coding: [{ system: ROLE, code: 'SPS', display: 'spouse' }] }] };

describe('SDC expression-based pre-population', () => {
  it('reads the launch contexts a form declares', () => {
    expect(launchContextsOf(form)).toEqual([{ name: 'patient', types: ['Patient'] }, { name: 'user', types: ['RelatedPerson'] }, { name: 'encounter', types: ['Encounter'] }]);
    expect(populates(form)).toBe(true);
  });

  it('fills answers from the patient, the user, the encounter, variables and static initial values, as the items take them', () => {
    const { response, filled, issues } = populateResponse(form, { patient, user: spouse, encounter: { resourceType: 'Encounter', id: 'e1' } }, { questionnaire: 'q|1', subject: { reference: 'Patient/p1' } });
    expect(response).toMatchObject({ resourceType: 'QuestionnaireResponse', status: 'in-progress', questionnaire: 'q|1', subject: { reference: 'Patient/p1' } });
    const answer = (linkId: string) => response.item!.find((i) => i.linkId === linkId)?.answer;
    expect(answer('birth-date')).toEqual([{ valueDate: '1968-04-12' }]);
    // The option's own coding and display, not the EHR's.
    expect(answer('sex')).toEqual([{ valueCoding: { system: GENDER, code: 'female', display: 'Female' } }]);
    expect(answer('relationship')).toEqual([{ valueCoding: { system: ROLE, code: 'SPS', display: 'Spouse' } }]);
    expect(answer('greeting')).toEqual([{ valueString: 'Avery Sample' }]);
    expect(answer('visit')).toEqual([{ valueReference: { reference: 'Encounter/e1' } }]);
    expect(answer('hours')).toEqual([{ valueInteger: 10 }]);
    expect(filled).toEqual(['birth-date', 'sex', 'relationship', 'greeting', 'visit', 'hours']);
    // A failing expression, and two values for a single-answer item, leave the item for the person; a disabled item gets nothing.
    expect(answer('broken')).toBeUndefined();
    expect(answer('many')).toBeUndefined();
    expect(answer('later')).toBeUndefined();
    expect(issues.map((i) => i.linkId)).toEqual(['broken', 'many']);
  });

  it('fills what it can when a context is missing or of the wrong type, and refuses nothing it fills', () => {
    const { response, issues } = populateResponse(form, { patient: { ...patient, gender: 'unknown' }, user: { resourceType: 'Practitioner', id: 'x' } });
    const answered = response.item!.map((i) => i.linkId);
    expect(answered).toEqual(['birth-date', 'greeting', 'hours']);
    expect(issues.map((i) => i.message).join(' | ')).toMatch(/Launch context user is a Practitioner, not RelatedPerson/);
    expect(issues.map((i) => i.message).join(' | ')).toMatch(/"unknown" does not fit a choice item/);
  });
});

describe('a stored form declaring a launch context that is not SDC’s', () => {
  it('ignores it with an issue, and reads nothing inherited (constructor, __proto__)', () => {
    const odd: Questionnaire = {
      ...form, extension: [context('patient', 'Patient'), context('constructor', 'Patient'), context('__proto__', 'Patient')],
      item: [{ linkId: 'birth-date', text: 'Date of birth', type: 'date', extension: initial('%patient.birthDate') }, { linkId: 'c', text: 'C', type: 'string', extension: initial('%constructor.id') }],
    };
    const { response, issues } = populateResponse(odd, { patient });
    expect(response.item?.find((i) => i.linkId === 'birth-date')?.answer).toEqual([{ valueDate: '1968-04-12' }]);
    expect(response.item?.find((i) => i.linkId === 'c')).toBeUndefined();
    expect(issues.map((i) => i.message)).toEqual(expect.arrayContaining(["Launch context constructor is not one of SDC's; ignored", "Launch context __proto__ is not one of SDC's; ignored"]));
  });
});

describe('population mechanisms the module does not run (SMART Forms uses both)', () => {
  // Shapes of SMART Forms' home-address (itemPopulationContext) and BMI (sourceQueries) examples.
  const q: Questionnaire = {
    resourceType: 'Questionnaire', url: 'https://example.org/Questionnaire/ipc', version: '1', status: 'active',
    extension: [context('patient', 'Patient'), { url: EXT.sourceQueries, valueReference: { reference: '#PrePopQuery' } }],
    item: [
      { linkId: 'height', text: 'Height', type: 'decimal', extension: initial("%PrePopQuery.entry[0].resource.entry.resource.value.value") },
      {
        linkId: 'address', text: 'Home address', type: 'group',
        extension: [{ url: EXT.itemPopulationContext, valueExpression: { name: 'HomeAddress', ...fhirpath("%patient.address.where(use='home')") } }],
        item: [{ linkId: 'city', text: 'City', type: 'string', extension: initial('%HomeAddress.city') }],
      },
      { linkId: 'born', text: 'Born', type: 'date', extension: initial('%patient.birthDate') },
    ],
  };

  it('are accepted at import, and leave the items that read them empty, saying why', () => {
    expect(validateQuestionnaireImport(q)).toMatchObject({ ok: true, issues: [] });
    const { response, filled, issues } = populateResponse(q, { patient });
    expect(filled).toEqual(['born']);
    expect(response.item).toEqual([{ linkId: 'born', text: 'Born', answer: [{ valueDate: '1968-04-12' }] }]);
    expect(issues).toEqual([
      { message: 'sourceQueries PrePopQuery (a batch of FHIR queries) is not run here: the items that read it are left empty' },
      { linkId: 'address', message: 'itemPopulationContext HomeAddress is not evaluated here: the items that read it are left empty' },
    ]);
  });
});
