import { afterEach, describe, expect, it } from '@jest/globals';
import type { Extension, Questionnaire, QuestionnaireItem, ValueSet } from 'fhir/r4.js';
import { EXT } from './codes.js';
import { FhirPathBudgetExceeded, setFhirPathGuard } from './fhirpath-engine.js';
import { dryRunSave, syntheticResponse } from './import-dry-run.js';
import { validateQuestionnaireImport } from './import-validation.js';

const base = { resourceType: 'Questionnaire' as const, url: 'https://example.org/Questionnaire/dry', version: '1', status: 'active' as const };
const expression = (url: string, text: string): Extension => ({ url, valueExpression: { language: 'text/fhirpath', expression: text } });
const variable = (name: string, text: string): Extension => ({ url: EXT.variable, valueExpression: { name, language: 'text/fhirpath', expression: text } });

/** A guard that counts the engine's FHIRPath calls and, past `limit`, refuses as the server's deadline does. */
function countingGuard(limit = Infinity): { count: number } {
  const counter = { count: 0 };
  setFhirPathGuard((run) => {
    if (++counter.count > limit) throw new FhirPathBudgetExceeded('over the counted budget');
    return run();
  });
  return counter;
}


describe('the synthetic response an import runs the form on', () => {
  // Inside each describe, not at the top: in a group file (test/groups) a top-level hook runs for every spec.
  afterEach(() => setFhirPathGuard(undefined));

  it('answers every question once with a value of its type; no display, group without questions or calculated item', () => {
    const vs: ValueSet = { resourceType: 'ValueSet', id: 'sex', status: 'active', expansion: { timestamp: '2026-01-01', contains: [{ system: 'urn:s', code: 'f' }, { system: 'urn:s', code: 'm' }] } };
    const q: Questionnaire = { ...base, contained: [vs], item: [
      { linkId: 'b', type: 'boolean' }, { linkId: 'd', type: 'decimal' }, { linkId: 'i', type: 'integer', repeats: true },
      { linkId: 'dt', type: 'date' }, { linkId: 's', type: 'string' }, { linkId: 'note', type: 'display', text: 'n' },
      { linkId: 'c', type: 'choice', answerOption: [{ valueCoding: { code: 'a' } }, { valueCoding: { code: 'b' } }] },
      { linkId: 'vs', type: 'choice', answerValueSet: '#sex' }, { linkId: 'oc', type: 'open-choice' }, { linkId: 'att', type: 'attachment' },
      { linkId: 'g', type: 'group', item: [{ linkId: 'q', type: 'quantity', item: [{ linkId: 'under', type: 'integer' }] }, { linkId: 'calc', type: 'integer', extension: [expression(EXT.calculatedExpression, '1')] }] },
      { linkId: 'empty', type: 'group', item: [{ linkId: 'only-text', type: 'display' }] },
    ] as QuestionnaireItem[] };
    expect(syntheticResponse(q).item).toEqual([
      { linkId: 'b', answer: [{ valueBoolean: true }] }, { linkId: 'd', answer: [{ valueDecimal: 1 }] }, { linkId: 'i', answer: [{ valueInteger: 1 }] },
      { linkId: 'dt', answer: [{ valueDate: '2000-01-01' }] }, { linkId: 's', answer: [{ valueString: 'x' }] },
      { linkId: 'c', answer: [{ valueCoding: { code: 'a' } }] }, { linkId: 'vs', answer: [{ valueCoding: { system: 'urn:s', code: 'f' } }] },
      { linkId: 'oc', answer: [{ valueString: 'x' }] },
      { linkId: 'g', item: [{ linkId: 'q', answer: [{ valueQuantity: { value: 1 }, item: [{ linkId: 'under', answer: [{ valueInteger: 1 }] }] }] }] },
    ]);
  });
});

describe('an import runs the form once as a save would', () => {
  // Inside each describe, not at the top: in a group file (test/groups) a top-level hook runs for every spec.
  afterEach(() => setFhirPathGuard(undefined));

  // Cheap to check on an empty response; over answers, every item's expression and the variables it reads run.
  const variables = Array.from({ length: 15 }, (_, i) => variable(`v${i}`, i === 0 ? "%resource.item.where(linkId='q0').answer.value" : `%v${i - 1} + 1`));
  const items: QuestionnaireItem[] = Array.from({ length: 100 }, (_, i) => ({ linkId: `q${i}`, type: 'integer', text: `q${i}`, ...(i > 0 ? { extension: [expression(EXT.enableWhenExpression, `%v14 > ${i}`)] } : {}) }));
  const form: Questionnaire = { ...base, extension: variables, item: items };

  it('refuses a form whose full dry run overruns the budget that its expression checks fit in', () => {
    expect(validateQuestionnaireImport(form).ok).toBe(true); // compiles every expression once: evaluations are counted below
    const all = countingGuard();
    expect(validateQuestionnaireImport(form).ok).toBe(true);
    const total = all.count;
    const dry = countingGuard();
    expect(dryRunSave({ questionnaire: form, scores: [], safetyRules: [] })).toBeUndefined();
    const checksAlone = total - dry.count;
    expect(dry.count).toBeGreaterThan(100); // every enableWhenExpression on the answered response, the chain once
    // A budget the checks fit in, the dry run not: refused (FhirPathDeadline.within makes it 422 FORM_TOO_COSTLY).
    countingGuard(checksAlone + dry.count / 2);
    expect(() => validateQuestionnaireImport(form)).toThrow(FhirPathBudgetExceeded);
  });

  it('does not run it on a form refused already', () => {
    const counter = countingGuard();
    const broken = { ...form, item: [...items, { linkId: 'q0', type: 'string' as const }] };
    expect(validateQuestionnaireImport(broken).ok).toBe(false);
    const refused = counter.count;
    counter.count = 0;
    validateQuestionnaireImport(form);
    expect(counter.count).toBeGreaterThan(refused);
  });
});
