import type { Questionnaire, QuestionnaireItem, QuestionnaireResponse, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { withContainedOptions } from './answer-options.js';
import { assessResponse } from './assessment.js';
import { canonicalOf } from './canonical.js';
import { FhirPathBudgetExceeded } from './fhirpath-engine.js';
import type { InstrumentDefinition } from './instrument.types.js';
import { calculatedExpressionOf } from './questionnaire-index.js';
import { validateResponse } from './validation.js';

// An import runs the form once as a save would, on a synthetic fully answered response, under the import's own
// deadline (FhirPathDeadline.within around validateQuestionnaireImport): each expression's check runs it on an empty
// response only, and a form whose expressions are cheap there but not over answers (variables × items, a costly
// aggregate) was accepted and then refused at every save (422 FORM_TOO_COSTLY), or froze the browser's player.

/** A value of the item's type, or undefined for a type no synthetic answer is made for (attachment, reference). */
function answerOf(questionnaire: Questionnaire, item: QuestionnaireItem): QuestionnaireResponseItemAnswer | undefined {
  switch (item.type) {
    case 'boolean': return { valueBoolean: true };
    case 'decimal': return { valueDecimal: 1 };
    case 'integer': return { valueInteger: 1 };
    case 'date': return { valueDate: '2000-01-01' };
    case 'dateTime': return { valueDateTime: '2000-01-01T00:00:00Z' };
    case 'time': return { valueTime: '00:00:00' };
    case 'string': case 'text': return { valueString: 'x' };
    case 'url': return { valueUri: 'https://example.org/x' };
    case 'quantity': return { valueQuantity: { value: 1 } };
    case 'choice': case 'open-choice': {
      // The first answerOption, or the first code of a ValueSet the form contains; free text in an open-choice.
      const option = withContainedOptions(questionnaire, item).answerOption?.[0] as Record<string, unknown> | undefined;
      const key = option && Object.keys(option).find((k) => k.startsWith('value'));
      if (key) return { [key]: option[key] } as QuestionnaireResponseItemAnswer;
      return item.type === 'open-choice' ? { valueString: 'x' } : undefined;
    }
    default: return undefined;
  }
}

function itemsOf(questionnaire: Questionnaire, items: QuestionnaireItem[] | undefined): QuestionnaireResponseItem[] {
  return (items ?? []).flatMap((item): QuestionnaireResponseItem[] => {
    if (item.type === 'display' || calculatedExpressionOf(item) !== undefined) return [];
    const children = itemsOf(questionnaire, item.item);
    if (item.type === 'group') return children.length ? [{ linkId: item.linkId, item: children }] : [];
    const answer = answerOf(questionnaire, item);
    return answer ? [{ linkId: item.linkId, answer: [children.length ? { ...answer, item: children } : answer] }] : [];
  });
}

/**
 * Every question answered once (a repeating one too) with a value of its type: the first option (or contained
 * ValueSet code), 1, 'x', 2000-01-01, true. A question an enableWhen hides is answered too: the save's validation
 * then reports it, at the same cost, and the calculations read at least the answers a save can give them.
 */
export function syntheticResponse(questionnaire: Questionnaire): QuestionnaireResponse {
  return { resourceType: 'QuestionnaireResponse', questionnaire: canonicalOf(questionnaire), status: 'completed', item: itemsOf(questionnaire, questionnaire.item) };
}

/**
 * Runs a save's engine work (validation, then scores and safety rules) on the synthetic response. Throws
 * FhirPathBudgetExceeded when the deadline runs out; returns the message of any other failure (none is expected:
 * the engine reports bad answers as issues).
 */
export function dryRunSave(definition: InstrumentDefinition): string | undefined {
  const response = syntheticResponse(definition.questionnaire);
  try {
    validateResponse(definition.questionnaire, response);
    assessResponse(definition, response);
    return undefined;
  } catch (err) {
    if (err instanceof FhirPathBudgetExceeded) throw err;
    return err instanceof Error ? err.message : String(err);
  }
}
