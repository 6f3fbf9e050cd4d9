import type { Bundle, Questionnaire, QuestionnaireItem, ValueSet } from 'fhir/r4.js';

// Synthetic SDC Questionnaires (FHIR R4) written for this repository, in the shapes other SDC fillers' forms take
// (HL7's SDC examples, SMART Forms' and LHC-Forms' test forms were tried once; src/questionnaires/README.md, "Forms
// from other SDC tools", records that trial). None of their text is copied: the wording, linkIds, canonical urls and
// the risk formula below are ours, the clinical content deliberately simple. Extension urls are written out, as
// another tool's export would carry them, rather than taken from the engine's constants. Some forms leave out
// `version` (or `url`), as such exports often do: the tests add them as an administrator would.

const SDC = 'http://hl7.org/fhir/uv/sdc/StructureDefinition';
const URL_VARIABLE = 'http://hl7.org/fhir/StructureDefinition/variable';
const URL_UNIT = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit';
const URL_HIDDEN = 'http://hl7.org/fhir/StructureDefinition/questionnaire-hidden';
const URL_ORDINAL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
const URL_CONTROL = 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl';
const UCUM = 'http://unitsofmeasure.org';
const SNOMED = 'http://snomed.info/sct';
const GENDER = 'http://hl7.org/fhir/administrative-gender';

const fhirpath = (expression: string) => ({ language: 'text/fhirpath', expression });
const variable = (name: string, expression: string) => ({ url: URL_VARIABLE, valueExpression: { name, ...fhirpath(expression) } });
const query = (name: string, expression: string) => ({ url: URL_VARIABLE, valueExpression: { name, language: 'application/x-fhir-query', expression } });
const calculated = (expression: string) => ({ url: `${SDC}/sdc-questionnaire-calculatedExpression`, valueExpression: fhirpath(expression) });
const initial = (expression: string) => ({ url: `${SDC}/sdc-questionnaire-initialExpression`, valueExpression: fhirpath(expression) });
const unit = (code: string) => ({ url: URL_UNIT, valueCoding: { system: UCUM, code, display: code } });
const control = (code: string) => ({ url: URL_CONTROL, valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/questionnaire-item-control', code }] } });
const launchContext = (name: string, type: string) => ({
  url: `${SDC}/sdc-questionnaire-launchContext`,
  extension: [{ url: 'name', valueCoding: { system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext', code: name } }, { url: 'type', valueCode: type }],
});
/** Contained resources, each checked as its own type (`contained` is typed as any Resource). */
const valueSet = (vs: ValueSet): ValueSet => vs;
const bundle = (b: Bundle): Bundle => b;
const coded = (system: string) => (code: string, display: string) => ({ valueCoding: { system, code, display } });

/**
 * Weight and height, a BMI computed through two Questionnaire-level variables (height asked in inches, the variable
 * converts it to metres). Codes on the items but no observationExtract: the form extracts nothing.
 */
export const weightHeightPanel: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://clinic.example.org/fhir/Questionnaire/weight-height-panel', version: '2026.1',
  status: 'active', title: 'Weight and height', subjectType: ['Patient'],
  extension: [
    variable('kg', "%resource.item.where(linkId='wh-weight').answer.valueDecimal"),
    variable('metres', "%resource.item.where(linkId='wh-height').answer.valueDecimal * 0.0254"),
  ],
  item: [
    { linkId: 'wh-weight', text: 'Weight', type: 'decimal', code: [{ system: 'http://loinc.org', code: '29463-7' }], extension: [unit('kg')] },
    { linkId: 'wh-height', text: 'Height (inches)', type: 'decimal', code: [{ system: 'http://loinc.org', code: '8302-2' }], extension: [unit('[in_i]')] },
    { linkId: 'wh-bmi', text: 'Body mass index', type: 'decimal', readOnly: true, extension: [unit('kg/m2'), calculated('(%kg / %metres.power(2)).round(1)')] },
  ],
};

const MEALS = 'https://clinic.example.org/fhir/CodeSystem/meal-screen';
const often = coded(MEALS);
const FREQUENCY = [often('often', 'Often'), often('sometimes', 'Sometimes'), often('never', 'Never'), often('no-answer', 'Prefers not to say')];

/**
 * A two-question screener whose result is one of its own options: Questionnaire-level variables read the answers'
 * codes, item-level ones on the result pick its option from `%questionnaire`; a help text sits under the result.
 */
export const mealScreener: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://clinic.example.org/fhir/Questionnaire/meal-screener', version: '2026.1',
  status: 'active', title: 'Meals screener', subjectType: ['Patient'],
  extension: [
    variable('skipped', "%resource.item.where(linkId='ms-skipped').answer.value.code"),
    variable('wholeDay', "%resource.item.where(linkId='ms-whole-day').answer.value.code"),
    variable('flagged', "'often'.combine('sometimes')"),
    variable('atRisk', '%flagged contains %skipped or %flagged contains %wholeDay'),
    variable('anyAnswer', '%skipped.exists() or %wholeDay.exists()'),
  ],
  item: [
    { linkId: 'ms-skipped', text: 'In the last year, were meals made smaller or skipped because money ran short?', type: 'choice', extension: [control('drop-down')], answerOption: FREQUENCY },
    { linkId: 'ms-whole-day', text: 'In the last year, was there a whole day without food for the same reason?', type: 'choice', extension: [control('drop-down')], answerOption: FREQUENCY },
    {
      linkId: 'ms-result', text: 'Screener result', type: 'choice', readOnly: true,
      extension: [
        variable('self', "%questionnaire.item.where(linkId = 'ms-result')"),
        variable('riskOption', "%self.answerOption.valueCoding.where(code = 'at-risk')"),
        variable('clearOption', "%self.answerOption.valueCoding.where(code = 'not-at-risk')"),
        calculated('iif(%anyAnswer, iif(%atRisk, %riskOption, %clearOption), {})'),
      ],
      answerOption: [often('at-risk', 'At risk'), often('not-at-risk', 'Not at risk')],
      item: [{ linkId: 'ms-result-help', text: 'Either answer "often" or "sometimes" flags the screener.', type: 'display', extension: [control('help')] }],
    },
  ],
};

/**
 * Observation-based extraction of a calculated quantity: height and weight (x-fhir-query variables would pre-fill
 * them), a group's variables read its own items' answers, the BMI is a quantity in its questionnaire-unit marked
 * observationExtract. Published without a version.
 */
export const bmiForExtraction: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://als-wellness.example.org/fhir/Questionnaire/bmi-observation', status: 'draft', title: 'BMI for the record',
  extension: [
    query('LatestHeight', 'Observation?code=8302-2&_count=1&_sort=-date&patient={{%patient.id}}'),
    query('LatestWeight', 'Observation?code=29463-7&_count=1&_sort=-date&patient={{%patient.id}}'),
    launchContext('patient', 'Patient'),
  ],
  item: [{
    linkId: 'bmi-group', text: 'Body mass index', type: 'group',
    extension: [variable('cm', "item.where(linkId='bmi-height').answer.value"), variable('kilos', "item.where(linkId='bmi-weight').answer.value")],
    item: [
      { linkId: 'bmi-height', text: 'Height', type: 'decimal', extension: [initial('%LatestHeight.entry.resource.value.value'), unit('cm')] },
      { linkId: 'bmi-weight', text: 'Weight', type: 'decimal', extension: [initial('%LatestWeight.entry.resource.value.value'), unit('kg')] },
      {
        linkId: 'bmi-value', text: 'BMI', type: 'quantity', readOnly: true, code: [{ system: SNOMED, code: '60621009', display: 'Body mass index' }],
        extension: [calculated('(%kilos / ((%cm / 100).power(2))).round(1)'), unit('kg/m2'), { url: `${SDC}/sdc-questionnaire-observationExtract`, valueBoolean: true }],
      },
    ],
  }],
};

/** A calculation read by another: a number doubled (decimal), then whether that is 4 (boolean). No url, no version. */
export const chainedCalculation: Questionnaire = {
  resourceType: 'Questionnaire', status: 'draft', title: 'Chained calculation',
  item: [
    { linkId: 'cc-number', text: 'Enter a whole number', type: 'integer' },
    { linkId: 'cc-twice', text: 'Twice that', type: 'decimal', readOnly: true, extension: [calculated("%resource.item.where(linkId='cc-number').answer.value * 2")] },
    { linkId: 'cc-four', text: 'Is it four?', type: 'boolean', readOnly: true, extension: [calculated("%resource.item.where(linkId='cc-twice').answer.value = 4")] },
  ],
};

/** Opaque linkIds (as form designers generate them) of the enableWhen form's gate and the question it shows. */
export const FALL_GATE = '48358e52-77ce-4515-a558-0ec66ed5396f';
export const FALL_DETAILS = '96da91ba-c611-4315-9880-3850dba859c0';
const AID_GATE = 'c8926936-6230-438b-9243-778cb174e97e';

/** enableWhen within a group and on groups: a follow-up question shown by a yes, a group shown by a no. */
export const enableWhenForm: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://clinic.example.org/fhir/Questionnaire/falls-follow-up', version: '2026.1', status: 'active', title: 'Falls follow-up',
  item: [
    {
      linkId: '8e424c90-d9bc-4b2c-a096-226191c6fbf1', text: 'Since the last visit', type: 'group',
      item: [
        { linkId: FALL_GATE, text: 'Any falls?', type: 'boolean' },
        { linkId: AID_GATE, text: 'Using a walking aid?', type: 'boolean' },
        { linkId: FALL_DETAILS, text: 'What happened?', type: 'string', enableWhen: [{ question: FALL_GATE, operator: '=', answerBoolean: true }], enableBehavior: 'all' },
        {
          linkId: 'falls-injury', text: 'Injuries', type: 'group', enableWhen: [{ question: FALL_GATE, operator: '=', answerBoolean: true }], enableBehavior: 'any',
          item: [{ linkId: 'falls-injury-seen', text: 'Seen by a doctor?', type: 'boolean' }],
        },
        {
          linkId: 'aid-offer', text: 'Walking aid', type: 'group', enableWhen: [{ question: AID_GATE, operator: '=', answerBoolean: false }], enableBehavior: 'any',
          item: [{ linkId: 'aid-wanted', text: 'Would you like one assessed?', type: 'boolean' }],
        },
      ],
    },
    { linkId: '99f2e6e7-c19c-4414-9c11-2719cb4ce049', text: 'Notes', type: 'group', item: [{ linkId: 'notes-text', text: 'Anything else', type: 'text' }] },
  ],
};

const WEEKLY = 'https://clinic.example.org/fhir/CodeSystem/weekly-frequency';
const ordinal = (code: string, display: string, value: number) => ({ code, display, extension: [{ url: URL_ORDINAL, valueDecimal: value }] });

/**
 * A three-question score whose total calls `answers()`, an SDC filler's own function that FHIRPath does not define;
 * its choices take their codes (with ordinalValues) from a contained ValueSet.
 */
export const answersFunctionForm: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://clinic.example.org/fhir/Questionnaire/weekly-wellbeing', version: '0.1', status: 'draft', title: 'Weekly wellbeing',
  contained: [valueSet({
    resourceType: 'ValueSet', id: 'weekly', url: 'https://clinic.example.org/fhir/ValueSet/weekly-frequency', status: 'draft',
    compose: { include: [{ system: WEEKLY, concept: [ordinal('none', 'Not this week', 0), ordinal('some', 'One or two days', 1), ordinal('most', 'Most days', 2)] }] },
  })],
  item: [{
    linkId: 'wb', text: 'This week', type: 'group',
    item: [
      ...['Slept badly', 'Felt low', 'Felt tense'].map((text, i): QuestionnaireItem => ({ linkId: `wb/${i + 1}`, text, type: 'choice', answerValueSet: '#weekly' })),
      { linkId: 'wb/total', text: 'Total', type: 'quantity', extension: [calculated('%resource.answers().value.ordinal().sum()')] },
    ],
  }],
};

/** Names, birth date, today and the practitioner, filled by initialExpressions from the patient and user contexts. */
export const prefillForm: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://clinic.example.org/fhir/Questionnaire/visit-header', version: '2026.1', status: 'active', title: 'Visit header', subjectType: ['Patient'],
  extension: [launchContext('patient', 'Patient'), launchContext('user', 'Practitioner')],
  item: [{
    linkId: 'vh', text: 'Visit', type: 'group',
    item: [
      {
        linkId: 'vh-patient', text: 'Patient', type: 'group',
        item: [
          { linkId: 'vh-clinic-number', text: 'Clinic number', type: 'string' },
          { linkId: 'vh-insurance', text: 'Insurance number', type: 'string', required: true, extension: [initial("%patient.identifier.where(system='https://clinic.example.org/fhir/sid/insurance').value.first()")] },
          { linkId: 'vh-family', text: 'Family name', type: 'string', extension: [initial('%patient.name.first().family.first()')] },
          { linkId: 'vh-given', text: 'Given name', type: 'string', extension: [initial('%patient.name.first().given.first()')] },
          { linkId: 'vh-birth', text: 'Date of birth', type: 'date', extension: [initial('%patient.birthDate')] },
          { linkId: 'vh-phone', text: 'Phone', type: 'string', extension: [initial("%patient.telecom.where(system='phone').select(($this.where(use='mobile') | $this.where(use='home')).first().value)")] },
        ],
      },
      {
        linkId: 'vh-clinician', text: 'Seen by', type: 'group', readOnly: true,
        item: [
          { linkId: 'vh-clinician-number', text: 'Provider number', type: 'string', extension: [initial("%user.identifier.where(system='https://clinic.example.org/fhir/sid/provider').first().value")] },
          { linkId: 'vh-date', text: 'Date', type: 'date', extension: [initial('today()')] },
          { linkId: 'vh-clinician-name', text: 'Name', type: 'string', readOnly: true, extension: [initial("%user.name.first().select(given.first() + ' ' + family.first())")] },
        ],
      },
    ],
  }],
};

const smoking = coded(SNOMED);
const SMOKING = [smoking('266919005', 'Never smoked'), smoking('77176002', 'Smoker'), smoking('8517006', 'Ex-smoker'), { valueString: 'Other' }];

/**
 * Pre-population by mechanisms beside FHIRPath: x-fhir-query variables, an itemPopulationContext over a repeating
 * group, a sourceQueries batch Bundle; gender from a contained ValueSet, named by #id and by its url; a calculated
 * choice following a group variable. No version.
 */
export const selectivePrefill: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://als-wellness.example.org/fhir/Questionnaire/intake-prefill-check', status: 'draft', title: 'Intake pre-fill check',
  contained: [
    valueSet({
      resourceType: 'ValueSet', id: 'sex', url: 'https://clinic.example.org/fhir/ValueSet/recorded-sex', status: 'active',
      compose: { include: [{ system: GENDER }] },
      expansion: {
        timestamp: '2026-01-05T09:00:00Z',
        contains: [{ system: GENDER, code: 'female', display: 'Female' }, { system: GENDER, code: 'male', display: 'Male' }, { system: GENDER, code: 'other', display: 'Other' }, { system: GENDER, code: 'unknown', display: 'Unknown' }],
      },
    }),
    valueSet({ resourceType: 'ValueSet', id: 'problems', url: 'https://clinic.example.org/fhir/ValueSet/problems', status: 'draft', compose: { include: [{ system: SNOMED, filter: [{ property: 'concept', op: 'is-a', value: '404684003' }] }] } }),
    bundle({ resourceType: 'Bundle', id: 'Recent', type: 'batch', entry: [{ request: { method: 'GET', url: 'Observation?code=8867-4&_count=1&_sort=-date&patient={{%patient.id}}' } }] }),
  ],
  extension: [
    launchContext('patient', 'Patient'),
    query('Problems', 'Condition?patient={{%patient.id}}'),
    query('SmokingObs', 'Observation?code=72166-2&_count=1&_sort=-date&patient={{%patient.id}}'),
    { url: `${SDC}/sdc-questionnaire-sourceQueries`, valueReference: { reference: '#Recent' } },
  ],
  item: [
    {
      linkId: 'ip', text: 'Intake', type: 'group', extension: [variable('smokingAnswer', "item.where(linkId='ip-smoking').answer.value")],
      item: [
        { linkId: 'ip-sex-by-url', text: 'Sex (ValueSet by url)', type: 'choice', answerValueSet: 'https://clinic.example.org/fhir/ValueSet/recorded-sex', extension: [initial('%patient.gender')] },
        { linkId: 'ip-sex-by-id', text: 'Sex (ValueSet by id)', type: 'choice', answerValueSet: '#sex', extension: [initial('%patient.gender')] },
        { linkId: 'ip-pulse', text: 'Last pulse', type: 'decimal', extension: [initial('%Recent.entry[0].resource.entry.resource.value.value'), unit('/min')] },
        { linkId: 'ip-smoking', text: 'Smoking', type: 'choice', answerOption: SMOKING, extension: [initial(`%SmokingObs.entry.resource.value.coding.where(system='${SNOMED}')`), control('radio-button')] },
        { linkId: 'ip-smoking-copy', text: 'Smoking (calculated)', type: 'choice', readOnly: true, answerOption: SMOKING, extension: [calculated('%smokingAnswer')] },
      ],
    },
    {
      linkId: 'ip-problems', text: 'Problems', type: 'group', repeats: true,
      extension: [{ url: `${SDC}/sdc-questionnaire-itemPopulationContext`, valueExpression: { name: 'ProblemRow', ...fhirpath("%Problems.entry.resource.where(clinicalStatus.coding.exists(code='active'))") } }],
      item: [
        { linkId: 'ip-problem', text: 'Problem', type: 'choice', answerValueSet: '#problems', extension: [initial('%ProblemRow.code.coding')] },
        { linkId: 'ip-problem-since', text: 'Since', type: 'date', extension: [initial('%ProblemRow.onset.ofType(dateTime)')] },
      ],
    },
  ],
};

// A synthetic risk calculator shaped like published cardiovascular risk forms (fifteen chained variables, four long
// branch formulas of logs and powers, one risk as a decimal and as text). The coefficients are made up: the result
// means nothing clinically. Published without a version.
const logTerms = (k: number[], centre: number[]) =>
  `${k[0]} * (%age.ln() - ${centre[0]}) + ${k[1]} * (%chol.ln() - ${centre[1]}) - ${k[2]} * (%hdl.ln() - ${centre[2]}) + ` +
  `${k[3]} * (%sbp.ln() - ${centre[3]}) + ${k[4]} * (%treated - ${centre[4]}) + ${k[5]} * (%smoker - ${centre[5]}) - ` +
  `${k[6]} * (%age.ln() * %chol.ln() - ${centre[6]})`;
const branch = (sex: string, older: string, cutoff: number, base: number, terms: string, ageTerm: string) =>
  `iif(%allAnswered, iif(%sex = '${sex}', iif(%age ${older} ${cutoff}, 1 - (${base}).power((${terms} - 0.215 * (${ageTerm} * %smoker - 1.12)).exp()), {}), {}), {})`;
const FEMALE_TERMS = logTerms([1.913, 0.842, 0.517, 1.264, 0.188, 0.402, 0.036], [4.02, 5.31, 3.97, 4.86, 0.14, 0.31, 21.3]);
const MALE_TERMS = logTerms([2.184, 0.761, 0.433, 1.097, 0.227, 0.519, 0.041], [3.95, 5.29, 3.81, 4.88, 0.12, 0.34, 20.9]);
const yesNo = coded('https://clinic.example.org/fhir/CodeSystem/yes-no');
const YES_NO = [yesNo('yes', 'Yes'), yesNo('no', 'No')];
const sexCode = coded('https://clinic.example.org/fhir/CodeSystem/sex-for-risk');
const measure = (linkId: string, text: string, code: string): QuestionnaireItem => ({ linkId, text, type: 'decimal', required: true, extension: [unit(code)] });

export const heartStrainIndex: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://als-wellness.example.org/fhir/Questionnaire/heart-strain-index', status: 'draft', title: 'Heart strain index (synthetic)',
  extension: [
    variable('age', "item.where(linkId='hs-age').answer.valueDecimal"),
    variable('sex', "item.where(linkId='hs-sex').answer.valueCoding.code"),
    variable('smokerCode', "item.where(linkId='hs-smoker').answer.valueCoding.code"),
    variable('smoker', "iif(%smokerCode.exists(), iif(%smokerCode = 'yes', 1, 0), {})"),
    variable('sbp', "item.where(linkId='hs-systolic').answer.valueDecimal"),
    variable('chol', "item.where(linkId='hs-cholesterol').answer.valueDecimal"),
    variable('hdl', "item.where(linkId='hs-hdl').answer.valueDecimal"),
    variable('treatedCode', "item.where(linkId='hs-treated').answer.valueCoding.code"),
    variable('treated', "iif(%treatedCode.exists(), iif(%sbp >= 120, iif(%treatedCode = 'yes', 1, 0), 0), {})"),
    variable('allAnswered', '%age.exists() and %sex.exists() and %smoker.exists() and %sbp.exists() and %chol.exists() and %hdl.exists() and %treated.exists()'),
    variable('femaleOlder', branch('female', '>', 75, 0.9861, FEMALE_TERMS, '75.ln()')),
    variable('femaleYounger', branch('female', '<=', 75, 0.9861, FEMALE_TERMS, '%age.ln()')),
    variable('maleOlder', branch('male', '>', 72, 0.9527, MALE_TERMS, '72.ln()')),
    variable('maleYounger', branch('male', '<=', 72, 0.9527, MALE_TERMS, '%age.ln()')),
    variable('risk', '%femaleOlder | %femaleYounger | %maleOlder | %maleYounger'),
  ],
  item: [
    { linkId: 'hs-age', text: 'Age (years)', type: 'decimal', required: true },
    { linkId: 'hs-sex', text: 'Sex', type: 'choice', required: true, answerOption: [sexCode('female', 'Female'), sexCode('male', 'Male')] },
    { linkId: 'hs-smoker', text: 'Smokes?', type: 'choice', required: true, answerOption: YES_NO },
    measure('hs-systolic', 'Systolic blood pressure', 'mm[Hg]'),
    measure('hs-cholesterol', 'Total cholesterol', 'mg/dL'),
    measure('hs-hdl', 'HDL cholesterol', 'mg/dL'),
    { linkId: 'hs-treated', text: 'Treated for high blood pressure?', type: 'choice', required: true, answerOption: YES_NO },
    { linkId: 'hs-risk', text: 'Index (decimal)', type: 'decimal', readOnly: true, extension: [calculated('%risk'), { url: URL_HIDDEN, valueBoolean: true }] },
    { linkId: 'hs-risk-text', text: 'Index', type: 'string', readOnly: true, extension: [calculated("iif(%risk.exists(), (%risk * 100).round(2).toString() & '%', {})")] },
  ],
};
