import type { Coding, QuestionnaireItem, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { EXT } from './codes.js';

// A FHIRPath result as the answer to an item, for SDC's initialExpression (population.ts) and calculatedExpression
// (scoring.ts) alike: SDC asks that the result's type agree with the item's.

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function isCoding(v: unknown): v is Coding {
  return typeof v === 'object' && v !== null && typeof (v as Coding).code === 'string';
}

/**
 * A quantity item's answer: a Quantity as it is; a number in the item's `questionnaire-unit` (SMART Forms and
 * LHC-Forms compute a BMI as a number for a quantity item with a unit).
 */
function quantityAnswer(item: QuestionnaireItem, v: unknown): QuestionnaireResponseItemAnswer | undefined {
  if (typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'number') return { valueQuantity: v };
  const unit = item.extension?.find((e) => e.url === EXT.unit)?.valueCoding;
  if (typeof v !== 'number' || !Number.isFinite(v) || !unit?.code) return undefined;
  return { valueQuantity: { value: v, unit: unit.display ?? unit.code, ...(unit.system ? { system: unit.system } : {}), code: unit.code } };
}

/** One FHIRPath result as an answer to the item, or a reason it does not fit. */
export function answerFor(item: QuestionnaireItem, v: unknown): QuestionnaireResponseItemAnswer | string {
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
    case 'quantity': return quantityAnswer(item, v) ?? mismatch;
    case 'reference': {
      const r = v as { resourceType?: string; id?: string; reference?: string };
      if (typeof r?.reference === 'string') return { valueReference: { reference: r.reference } };
      return r?.resourceType && r.id ? { valueReference: { reference: `${r.resourceType}/${r.id}` } } : mismatch;
    }
    case 'choice': case 'open-choice': return choiceAnswer(item, v) ?? mismatch;
    default: return `a ${item.type} item takes no computed answer`;
  }
}

/** Item types a computed value can answer (answerFor). */
export const COMPUTABLE_TYPES: readonly string[] = ['boolean', 'integer', 'decimal', 'string', 'text', 'url', 'date', 'dateTime', 'time', 'quantity', 'reference', 'choice', 'open-choice'];

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
