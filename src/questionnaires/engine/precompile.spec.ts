import type { Questionnaire, QuestionnaireResponse } from 'fhir/r4.js';
import { compileExpression, evaluateOnResponse, FhirPathBudgetExceeded, resizeCompileCache, setFhirPathGuard } from './fhirpath-engine.js';
import type { InstrumentDefinition } from './instrument.types.js';
import { formExpressions, isPrecompiled, precompileForm } from './precompile.js';

const fhirpath = (expression: string) => ({ language: 'text/fhirpath', expression });
const SDC = 'http://hl7.org/fhir/uv/sdc/StructureDefinition';

// A synthetic form with an expression in each place one can be: a variable, a calculatedExpression, an
// enableWhenExpression, an initialExpression, and a safety rule with its level.
const questionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  status: 'active',
  url: 'https://clinic.example.org/fhir/Questionnaire/precompile',
  version: '1',
  extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/variable', valueExpression: { name: 'w', ...fhirpath("%resource.item.where(linkId = 'w').answer.value") } }],
  item: [
    { linkId: 'w', type: 'decimal', text: 'Weight', extension: [{ url: `${SDC}/sdc-questionnaire-initialExpression`, valueExpression: fhirpath('%patient.id.count()') }] },
    { linkId: 'double', type: 'decimal', text: 'Twice', extension: [{ url: `${SDC}/sdc-questionnaire-calculatedExpression`, valueExpression: fhirpath('%w * 2') }] },
    { linkId: 'more', type: 'string', text: 'More', extension: [{ url: `${SDC}/sdc-questionnaire-enableWhenExpression`, valueExpression: fhirpath('%w > 100') }] },
  ],
};
const definition = (): InstrumentDefinition => ({
  questionnaire,
  scores: [],
  safetyRules: [{ id: 'r', expression: "%resource.item.where(linkId = 'w').answer.value > 300", level: "'urgent'", message: 'Check the weight.' } as never],
});

describe('precompileForm', () => {
  // The shared compile cache emptied before each test (a cache of one, then one new entry): in a group file
  // (test/groups) other specs share this module, and an expression they compiled would not be compiled here.
  beforeEach(() => {
    resizeCompileCache(1);
    compileExpression('0');
    resizeCompileCache(undefined);
  });
  afterEach(() => {
    setFhirPathGuard(undefined);
    resizeCompileCache(undefined);
  });

  it('finds the FHIRPath a save evaluates: variables, calculated and enableWhen expressions, safety rules', () => {
    // Not the initialExpression: a save does not run it (pre-population does, elsewhere), nor did the import compile it.
    expect(formExpressions(definition()).sort()).toEqual(
      ["%resource.item.where(linkId = 'w').answer.value", "%resource.item.where(linkId = 'w').answer.value > 300", "%w * 2", '%w > 100', "'urgent'"].sort(),
    );
  });

  it('compiles each expression on its own (each under its own deadline), once per definition', () => {
    // A Questionnaire object of its own: what a form compiled stays with it (compileForForm).
    const d = { ...definition(), questionnaire: { ...questionnaire } };
    let guarded = 0;
    setFhirPathGuard((run) => {
      guarded++;
      return run();
    });
    precompileForm(d);
    expect(guarded).toBe(formExpressions(d).length);
    precompileForm(d);
    expect(guarded).toBe(formExpressions(d).length);
  });

  it('leaves out expressions a save never runs (an answerExpression), and gives up when the budget runs out', () => {
    const d = definition();
    const other: InstrumentDefinition = {
      ...d,
      questionnaire: { ...questionnaire, item: [{ linkId: 'a', type: 'string', text: 'A', extension: [{ url: `${SDC}/sdc-questionnaire-answerExpression`, valueExpression: fhirpath("'never compiled on a save'") }] }] },
    };
    expect(formExpressions(other)).not.toContain("'never compiled on a save'");
    setFhirPathGuard(() => {
      throw new FhirPathBudgetExceeded('out of budget');
    });
    const fresh: InstrumentDefinition = { ...d, safetyRules: [{ ...d.safetyRules[0], expression: "%resource.item.count() > 12345" }] };
    expect(() => precompileForm(fresh)).toThrow(FhirPathBudgetExceeded);
    expect(isPrecompiled(fresh)).toBe(false);
  });

  it('keeps what it compiled with the form: other forms filling the shared compile cache make the save compile nothing', () => {
    // An item-level variable too: a save evaluates its context path (the item's answers) as well as its expression.
    const withItemVariable: Questionnaire = {
      ...questionnaire,
      item: [...questionnaire.item!, {
        linkId: 'grp', type: 'group', text: 'Group',
        extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/variable', valueExpression: { name: 'g', ...fhirpath("item.where(linkId = 'g1').answer.value") } }],
        item: [{ linkId: 'g1', type: 'integer', text: 'G1' }],
      }],
    };
    const own: InstrumentDefinition = { ...definition(), questionnaire: withItemVariable };
    expect(formExpressions(own)).toContain("%resource.item.where(linkId = 'grp').first()");
    precompileForm(own);
    // Other clinics' forms: as many new expressions as the shared cache holds push every earlier one out (first in,
    // first out); a cache of 20 here, not 2 000, to keep the spec quick.
    resizeCompileCache(20);
    for (let i = 0; i < 20; i++) compileExpression(`${i} + 0`);
    let guarded = 0;
    setFhirPathGuard((run) => {
      guarded++;
      return run();
    });
    const response: QuestionnaireResponse = { resourceType: 'QuestionnaireResponse', status: 'in-progress', item: [{ linkId: 'w', answer: [{ valueDecimal: 70 }] }] };
    // The guard runs once per compile and once per evaluation: one call each means nothing was compiled again (was:
    // two each, the save compiling the whole form inside its own budget).
    for (const expression of formExpressions(own)) evaluateOnResponse(expression, response, withItemVariable, { w: [70] });
    expect(isPrecompiled(own)).toBe(true);
    expect(guarded).toBe(formExpressions(own).length);
  });
});
