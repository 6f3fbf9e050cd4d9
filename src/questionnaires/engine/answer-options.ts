import type { Coding, Questionnaire, QuestionnaireItem, ValueSet, ValueSetExpansionContains } from 'fhir/r4.js';

// An item's answerValueSet that names a ValueSet the form itself contains (`#id`, or the contained ValueSet's url)
// and enumerates its codes (an expansion, or a compose of listed concepts only) has those codes as its answer
// options: validated, pre-filled and offered like answerOptions. Forms written for SMART Forms and LHC-Forms carry
// their ValueSets this way. Any other answerValueSet needs a terminology server: its answers are taken as sent.

const withOptions = new WeakMap<QuestionnaireItem, QuestionnaireItem>();

const canonical = (url: string) => url.split('|')[0];

function containedValueSet(questionnaire: Questionnaire, reference: string): ValueSet | undefined {
  const valueSets = (questionnaire.contained ?? []).filter((r): r is ValueSet => r.resourceType === 'ValueSet');
  return valueSets.find((vs) => reference === `#${vs.id}` || (!!vs.url && canonical(vs.url) === canonical(reference)));
}

/** The codes a ValueSet enumerates, or undefined when it needs a terminology server to tell (filters, imports, excludes). */
export function enumeratedCodes(vs: ValueSet): Coding[] | undefined {
  if (vs.expansion?.contains?.length) {
    const flat = (list: ValueSetExpansionContains[] | undefined): Coding[] =>
      (list ?? []).flatMap((c) => [...(c.code && !c.abstract ? [{ system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) }] : []), ...flat(c.contains)]);
    return flat(vs.expansion.contains);
  }
  const include = vs.compose?.include ?? [];
  if (!include.length || vs.compose?.exclude?.length || include.some((i) => !i.concept?.length || i.filter?.length || i.valueSet?.length)) return undefined;
  return include.flatMap((i) => i.concept!.map((c) => ({ system: i.system, code: c.code, ...(c.display ? { display: c.display } : {}) })));
}

/** The item, with the answer options of the ValueSet it names when the form contains and enumerates it. */
export function withContainedOptions(questionnaire: Questionnaire, item: QuestionnaireItem): QuestionnaireItem {
  if (item.answerOption?.length || !item.answerValueSet || !questionnaire.contained?.length) return item;
  let resolved = withOptions.get(item);
  if (!resolved) {
    const vs = containedValueSet(questionnaire, item.answerValueSet);
    const codes = vs && enumeratedCodes(vs);
    resolved = codes?.length ? { ...item, answerOption: codes.map((valueCoding) => ({ valueCoding })) } : item;
    withOptions.set(item, resolved);
  }
  return resolved;
}
