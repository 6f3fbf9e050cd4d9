import { afterEach, describe, expect, it } from '@jest/globals';
import type { Bundle, Extension, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { answeredResponse } from './answered-response.js';
import { EXT } from './codes.js';
import { enabledItems } from './enable-when.js';
import { validateQuestionnaireImport } from './import-validation.js';
import { setFhirPathGuard } from './fhirpath-engine.js';
import { calculateResponse } from './scoring.js';
import { validateResponse } from './validation.js';
import { referencedNames } from './variables.js';

const variable = (name: string, expression: string): Extension => ({ url: EXT.variable, valueExpression: { name, language: 'text/fhirpath', expression } });
const calculated = (expression: string): Extension => ({ url: EXT.calculatedExpression, valueExpression: { language: 'text/fhirpath', expression } });
const shownWhen = (expression: string): Extension => ({ url: EXT.enableWhenExpression, valueExpression: { language: 'text/fhirpath', expression } });
const base = { resourceType: 'Questionnaire' as const, url: 'https://example.org/Questionnaire/lazy', version: '1', status: 'active' as const };
const definition = (questionnaire: Questionnaire) => ({ questionnaire, scores: [], safetyRules: [] });

/** Counts the engine's FHIRPath compiles and evaluations (every one runs through the guard). */
function countEvaluations(): { count: number } {
  const counter = { count: 0 };
  setFhirPathGuard((run) => {
    counter.count++;
    return run();
  });
  return counter;
}


describe('variables are evaluated only where an expression reads them', () => {
  // Inside each describe, not at the top: in a group file (test/groups) a top-level hook runs for every spec.
  afterEach(() => setFhirPathGuard(undefined));

  it('finds %name, %`name` and %\'name\', not inside strings or comments', () => {
    expect([...referencedNames("%a + %`b c` + %'d' + '%e' + `%f` // %g\n /* %h */ + %resource")]).toEqual(['a', 'b c', 'd', 'resource']);
  });

  it('15 variables × 100 items shown by an expression: a save evaluates each variable it needs once, not every variable for every item', () => {
    // The reviewer's shape: each item's enableWhenExpression reads one variable; the other fourteen are never read.
    const variables = Array.from({ length: 15 }, (_, i) => variable(`v${i}`, `%resource.item.where(linkId='q${i}').answer.value`));
    const items: QuestionnaireItem[] = Array.from({ length: 100 }, (_, i) => ({ linkId: `q${i}`, type: 'integer', text: `q${i}`, ...(i > 0 ? { extension: [shownWhen('%v0.exists()')] } : {}) }));
    items.push({ linkId: 's', type: 'integer', text: 's', readOnly: true, extension: [calculated('%v1 + %v2')] });
    const q: Questionnaire = { ...base, extension: variables, item: items };
    const response = answeredResponse(q, Object.fromEntries(items.slice(0, 100).map((item, i) => [item.linkId, [{ valueInteger: i }]]))).response;
    calculateResponse(definition(q), response); // compiles the expressions once: counted below are evaluations only
    validateResponse(q, response);

    const counter = countEvaluations();
    expect(validateResponse(q, response)).toEqual([]);
    // 99 enableWhenExpressions and %v0 once (was 99 × (15 + 1)).
    expect(counter.count).toBe(99 + 1);
    counter.count = 0;
    expect(calculateResponse(definition(q), response).values.get('s')).toEqual({ value: 3 });
    expect(counter.count).toBe(1 + 2);
  });

  it('follow a chain through the variables\' own expressions, each seeing only those before it (a later one shadows)', () => {
    const q: Questionnaire = { ...base,
      extension: [variable('a', '1'), variable('b', '%a + 1'), variable('unused', "%resource.item.answer.value.count()"), variable('a', '%b * 10')],
      item: [{ linkId: 'x', type: 'integer', text: 'x', readOnly: true, extension: [calculated('%a')] },
        { linkId: 'y', type: 'integer', text: 'y', readOnly: true, extension: [variable('b', '%a + 5'), calculated('%b')] }] };
    const counter = countEvaluations();
    const { values } = calculateResponse(definition(q), answeredResponse(q, {}).response);
    expect(values.get('x')).toEqual({ value: 20 });
    expect(values.get('y')).toEqual({ value: 25 });
    // x: a, b, a' and %a; y (after x is placed, the cache cleared): a, b, a', its own b and %b; `unused` never; compiles counted too.
    expect(counter.count).toBeLessThan(20);
  });

  it('see the answers calculateResponse has placed before them', () => {
    const q: Questionnaire = { ...base, extension: [variable('first', "%resource.item.where(linkId='one').answer.value")],
      item: [{ linkId: 'one', type: 'integer', text: '1', readOnly: true, extension: [calculated('41')] },
        { linkId: 'two', type: 'integer', text: '2', readOnly: true, extension: [calculated('%first + 1')] },
        { linkId: 'three', type: 'integer', text: '3', readOnly: true, extension: [calculated('%first + %first')] }] };
    const { values } = calculateResponse(definition(q), answeredResponse(q, {}).response);
    expect(values.get('two')).toEqual({ value: 42 });
    expect(values.get('three')).toEqual({ value: 82 });
  });
});

describe('a save without launch contexts or population data', () => {
  // Inside each describe, not at the top: in a group file (test/groups) a top-level hook runs for every spec.
  afterEach(() => setFhirPathGuard(undefined));

  // The reviewer's repro A: a variable reading %patient (pre-population's) must not make every other expression fail.
  const q: Questionnaire = { ...base,
    extension: [
      { url: EXT.launchContext, extension: [{ url: 'name', valueCoding: { system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext', code: 'patient' } }, { url: 'type', valueCode: 'Patient' }] },
      { url: EXT.sourceQueries, valueReference: { reference: '#PrePopQuery' } },
      variable('g', '%patient.gender'),
      variable('conditions', '%PrePopQuery.entry.resource'),
      variable('broken', '%resource.item.answer.value.single()'), // two answers: single() throws
      variable('w', "%resource.item.where(linkId='w').answer.value"),
    ],
    item: [{ linkId: 'w', type: 'decimal', text: 'w' },
      { linkId: 'dbl', type: 'decimal', text: 'd', readOnly: true, extension: [calculated('%w * 2')] },
      { linkId: 'n', type: 'integer', text: 'n', readOnly: true, extension: [calculated('%conditions.count() + %g.count()')] },
      { linkId: 'hidden', type: 'string', text: 'h', extension: [shownWhen('%w > 100')] },
      { linkId: 'failing', type: 'string', text: 'f', extension: [shownWhen('%broken.exists() or %w > 100')] }] };
  const response = { resourceType: 'QuestionnaireResponse' as const, questionnaire: 'https://example.org/Questionnaire/lazy|1', status: 'completed' as const,
    item: [{ linkId: 'w', answer: [{ valueDecimal: 50 }] }, { linkId: 'hidden', answer: [{ valueString: 'x' }] }] };

  it('gives those names an empty value: a hidden answer is refused as hidden, calculations run', () => {
    expect(enabledItems(q, response).has('hidden')).toBe(false);
    expect(validateResponse(q, response)).toEqual([expect.objectContaining({ rule: 'disabled-answered', linkId: 'hidden' })]);
    const { values } = calculateResponse(definition(q), response);
    expect(values.get('dbl')).toEqual({ value: 100 });
    expect(values.get('n')).toEqual({ value: 0 });
  });

  it('fails the expressions that read a variable that fails, and only those: a broken condition shows its question, a broken score is an error', () => {
    // %broken fails (single() over two answers): the condition reading it fails open; the others are unaffected.
    expect(enabledItems(q, response).has('failing')).toBe(true);
    expect(enabledItems(q, response).has('hidden')).toBe(false);
    const scored: Questionnaire = { ...q, item: [...q.item!, { linkId: 'from-broken', type: 'integer', text: 'b', readOnly: true, extension: [calculated('%broken.count()')] }] };
    const { values } = calculateResponse(definition(scored), response);
    expect(values.get('dbl')).toEqual({ value: 100 });
    expect(values.get('from-broken')).toMatchObject({ value: null, error: expect.stringMatching(/single/i) });
  });
});

describe('import of variables over population names', () => {
  // Inside each describe, not at the top: in a group file (test/groups) a top-level hook runs for every spec.
  afterEach(() => setFhirPathGuard(undefined));

  it("accepts a variable reading a sourceQueries Bundle or an itemPopulationContext (empty at the import's dry run)", () => {
    // The reviewer's repro B: was refused with "undefined environment variable: PrePopQuery".
    const q: Questionnaire = { ...base,
      contained: [{ resourceType: 'Bundle', id: 'PrePopQuery', type: 'batch' } as Bundle],
      extension: [{ url: EXT.sourceQueries, valueReference: { reference: '#PrePopQuery' } }, variable('cond', '%PrePopQuery.entry.resource')],
      item: [{ linkId: 'n', type: 'integer', text: 'n', readOnly: true, extension: [calculated('%cond.count()')] },
        { linkId: 'g', type: 'group', text: 'g', extension: [{ url: EXT.itemPopulationContext, valueExpression: { name: 'ctx', language: 'text/fhirpath', expression: '%cond' } }, variable('fromCtx', '%ctx.id')],
          item: [{ linkId: 'id', type: 'string', text: 'id' }] }] };
    const result = validateQuestionnaireImport(q);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
