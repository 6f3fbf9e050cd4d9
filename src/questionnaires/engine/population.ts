import type {
  Coding,
  Extension,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItemAnswer,
} from 'fhir/r4.js';
import { answeredResponse } from './answered-response.js';
import { EXT, SDC_LAUNCH_CONTEXTS } from './codes.js';
import { compileExpression } from './fhirpath-engine.js';
import { calculatedExpressionOf } from './questionnaire-index.js';
import { validateResponse } from './validation.js';

// SDC expression-based pre-population (https://hl7.org/fhir/uv/sdc/populate.html#exp-pop), "full population"
// only: the launch contexts the form declares (patient, user, encounter…), then its `variable`s, then each item's
// initialExpression (or static `initial`) gives its first answers. The caller reads the context resources from the
// EHR; this module only evaluates. Best effort, as SDC asks: what cannot be filled is left empty and reported.

export interface LaunchContextDeclaration {
  /** The %variable name: `patient`, `user`, `encounter`… */
  name: string;
  /** Resource types the form accepts for it (empty: any). */
  types: string[];
}

export interface PopulationIssue {
  linkId?: string;
  message: string;
}

export interface Population {
  /** An in-progress response holding the pre-filled answers (only answers to items enabled in it). */
  response: QuestionnaireResponse;
  /** linkIds answered by population. */
  filled: string[];
  issues: PopulationIssue[];
}

/** The form's sdc-questionnaire-launchContext declarations (name as a Coding in SDC 3+, an id in earlier drafts). */
export function launchContextsOf(q: Questionnaire): LaunchContextDeclaration[] {
  return (q.extension ?? [])
    .filter((e) => e.url === EXT.launchContext)
    .flatMap((e) => {
      const parts = e.extension ?? [];
      const nameExt = parts.find((p) => p.url === 'name');
      const name = nameExt?.valueCoding?.code ?? nameExt?.valueId ?? nameExt?.valueCode;
      const types = parts.filter((p) => p.url === 'type' && p.valueCode).map((p) => p.valueCode as string);
      return name ? [{ name, types }] : [];
    });
}

export function initialExpressionOf(item: QuestionnaireItem): Extension['valueExpression'] | undefined {
  return item.extension?.find((e) => e.url === EXT.initialExpression)?.valueExpression;
}

/** Whether the form asks for any pre-population at all. */
export function populates(q: Questionnaire): boolean {
  const any = (items: QuestionnaireItem[] | undefined): boolean =>
    (items ?? []).some((i) => initialExpressionOf(i) !== undefined || (i.initial?.length ?? 0) > 0 || any(i.item));
  return any(q.item);
}

type Env = Record<string, unknown>;

/** A variable extension's value (FHIRPath only; an x-fhir-query cannot run here and is reported). */
function evaluateVariables(extensions: Extension[] | undefined, context: unknown, env: Env, issues: PopulationIssue[], linkId?: string): Env {
  let out = env;
  for (const ext of extensions ?? []) {
    if (ext.url !== EXT.variable || !ext.valueExpression?.name) continue;
    const { name, language, expression } = ext.valueExpression;
    if (language !== 'text/fhirpath' || !expression) {
      issues.push({ ...(linkId ? { linkId } : {}), message: `Variable ${name}: only text/fhirpath expressions are evaluated` });
      out = { ...out, [name]: [] };
      continue;
    }
    try {
      out = { ...out, [name]: compileExpression(expression)(context, out) };
    } catch (err) {
      issues.push({ ...(linkId ? { linkId } : {}), message: `Variable ${name}: ${err instanceof Error ? err.message : String(err)}` });
      out = { ...out, [name]: [] };
    }
  }
  return out;
}

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function isCoding(v: unknown): v is Coding {
  return typeof v === 'object' && v !== null && typeof (v as Coding).code === 'string';
}

/** One FHIRPath result as an answer to the item, or a reason it does not fit (SDC: types must agree). */
function answerFor(item: QuestionnaireItem, v: unknown): QuestionnaireResponseItemAnswer | string {
  const mismatch = `${JSON.stringify(v)?.slice(0, 80)} does not fit a ${item.type} item`;
  switch (item.type) {
    case 'boolean': return typeof v === 'boolean' ? { valueBoolean: v } : mismatch;
    case 'integer': return typeof v === 'number' && Number.isInteger(v) ? { valueInteger: v } : mismatch;
    case 'decimal': return typeof v === 'number' ? { valueDecimal: v } : mismatch;
    case 'string': case 'text': return typeof v === 'string' ? { valueString: v } : mismatch;
    case 'url': return typeof v === 'string' ? { valueUri: v } : mismatch;
    case 'date':
      // A dateTime answers a date item with its date (a birth date recorded with a time).
      return typeof v === 'string' && DATE_TIME.test(v) ? { valueDate: DATE.test(v) ? v : v.slice(0, 10) } : mismatch;
    case 'dateTime': return typeof v === 'string' && DATE_TIME.test(v) ? { valueDateTime: v } : mismatch;
    case 'time': return typeof v === 'string' && /^\d{2}:\d{2}(:\d{2})?/.test(v) ? { valueTime: v } : mismatch;
    case 'quantity': return typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'number' ? { valueQuantity: v } : mismatch;
    case 'reference': {
      const r = v as { resourceType?: string; id?: string; reference?: string };
      if (typeof r?.reference === 'string') return { valueReference: { reference: r.reference } };
      return r?.resourceType && r.id ? { valueReference: { reference: `${r.resourceType}/${r.id}` } } : mismatch;
    }
    case 'choice': case 'open-choice': return choiceAnswer(item, v) ?? mismatch;
    default: return `initialExpression is not supported on a ${item.type} item`;
  }
}

/**
 * A Coding (or a code/string) as the item's answer: the answerOption it names (by system and code, or code alone
 * when the result has no system), so the answer carries the form's own display; an open-choice item also takes
 * a Coding or text no option names, and an item with a ValueSet the Coding as it is.
 */
function choiceAnswer(item: QuestionnaireItem, v: unknown): QuestionnaireResponseItemAnswer | undefined {
  const options = item.answerOption ?? [];
  const code = isCoding(v) ? v.code : typeof v === 'string' ? v : undefined;
  const system = isCoding(v) ? v.system : undefined;
  const option = options.find((o) =>
    o.valueCoding ? o.valueCoding.code === code && (system === undefined || o.valueCoding.system === system) : o.valueString !== undefined && o.valueString === code,
  );
  if (option) {
    const { extension: _w, initialSelected: _s, ...value } = option;
    return value;
  }
  if (isCoding(v) && (item.type === 'open-choice' || !options.length)) {
    const { extension: _e, ...coding } = v as Coding & { extension?: unknown };
    return { valueCoding: coding };
  }
  return item.type === 'open-choice' && typeof v === 'string' ? { valueString: v } : undefined;
}

/** The linkId an issue path points into (its innermost `where(linkId='…')`). */
function linkIdOfIssue(expression: string): string | undefined {
  const found = [...expression.matchAll(/linkId='((?:[^'\\]|\\.)*)'/g)];
  return found.length ? found[found.length - 1][1] : undefined;
}

/**
 * Pre-fills a new response. `contexts` holds the launch-context resources by name (a declared one the caller could
 * not read is simply absent: its expressions yield nothing); `base` the response's other fields (subject…).
 * Never throws on a form's expressions; an answer the engine's own validation would refuse is left out.
 */
export function populateResponse(q: Questionnaire, contexts: Record<string, unknown>, base: Partial<QuestionnaireResponse> = {}): Population {
  const issues: PopulationIssue[] = [];
  const shell: QuestionnaireResponse = { resourceType: 'QuestionnaireResponse', status: 'in-progress', ...base, item: [] };
  const declared = launchContextsOf(q);
  const env0: Env = { resource: shell, questionnaire: q };
  for (const { name, types } of declared) {
    // Only SDC's names (refused at import since; a form stored before may still carry `constructor`, `__proto__`…).
    if (!SDC_LAUNCH_CONTEXTS.includes(name)) {
      issues.push({ message: `Launch context ${name} is not one of SDC's; ignored` });
      continue;
    }
    const value = (Object.hasOwn(contexts, name) ? contexts[name] : undefined) as { resourceType?: string } | undefined;
    if (value && types.length && !types.includes(value.resourceType ?? '')) issues.push({ message: `Launch context ${name} is a ${value.resourceType}, not ${types.join(' or ')}` });
    env0[name] = value && (!types.length || types.includes(value.resourceType ?? '')) ? value : [];
  }
  const answers: Record<string, QuestionnaireResponseItemAnswer[]> = {};
  const visit = (items: QuestionnaireItem[] | undefined, env: Env) => {
    for (const item of items ?? []) {
      const here = evaluateVariables(item.extension, shell, env, issues, item.linkId);
      const expr = initialExpressionOf(item);
      if (expr && item.type !== 'group' && item.type !== 'display' && calculatedExpressionOf(item) === undefined) {
        const filled = initialAnswers(item, expr, here, shell, issues);
        if (filled.length) answers[item.linkId] = filled;
      } else if (expr) {
        issues.push({ linkId: item.linkId, message: `initialExpression is not used on a ${item.type === 'group' || item.type === 'display' ? item.type : 'calculated'} item` });
      } else if (item.initial?.length) {
        answers[item.linkId] = item.initial.map((i) => ({ ...i }));
      }
      visit(item.item, here);
    }
  };
  visit(q.item, evaluateVariables(q.extension, shell, env0, issues));
  // What the engine would refuse in a draft (a value outside the options, too long…) is left for the person to answer.
  let kept = answers;
  for (let round = 0; round <= Object.keys(answers).length; round++) {
    const { response } = answeredResponse(q, kept, { ...base, status: 'in-progress' });
    const refused = new Set(validateResponse(q, response).filter((i) => i.severity === 'error').map((i) => linkIdOfIssue(i.expression)).filter((id): id is string => !!id && id in kept));
    if (!refused.size) return { response, filled: filledIn(response, kept), issues };
    for (const linkId of refused) issues.push({ linkId, message: 'The pre-filled answer does not fit the item; left empty' });
    kept = Object.fromEntries(Object.entries(kept).filter(([id]) => !refused.has(id)));
  }
  const { response } = answeredResponse(q, {}, { ...base, status: 'in-progress' });
  return { response, filled: [], issues };
}

function initialAnswers(item: QuestionnaireItem, expr: NonNullable<Extension['valueExpression']>, env: Env, context: QuestionnaireResponse, issues: PopulationIssue[]): QuestionnaireResponseItemAnswer[] {
  if (expr.language !== 'text/fhirpath' || !expr.expression) {
    issues.push({ linkId: item.linkId, message: 'Only text/fhirpath initialExpressions are evaluated' });
    return [];
  }
  let result: unknown[];
  try {
    result = compileExpression(expr.expression)(context, env);
  } catch (err) {
    issues.push({ linkId: item.linkId, message: err instanceof Error ? err.message : String(err) });
    return [];
  }
  if (result.length > 1 && !item.repeats) {
    // SDC: more values than the item takes may be left for the person to choose.
    issues.push({ linkId: item.linkId, message: `${result.length} values for an item that takes one; left empty` });
    return [];
  }
  const out: QuestionnaireResponseItemAnswer[] = [];
  for (const v of result) {
    const a = answerFor(item, v);
    if (typeof a === 'string') issues.push({ linkId: item.linkId, message: a });
    else out.push(a);
  }
  return out;
}

function filledIn(response: QuestionnaireResponse, answers: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (items: QuestionnaireResponse['item']) => items?.forEach((i) => (i.answer?.length && i.linkId in answers ? out.push(i.linkId) : undefined, walk(i.item)));
  walk(response.item);
  return out;
}
