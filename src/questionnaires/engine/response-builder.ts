import type {
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
  Reference,
} from 'fhir/r4.js';
import { canonicalOf } from './canonical.js';
import type { InstrumentDefinition } from './instrument.types.js';
import { optionWeight } from './questionnaire-index.js';

/** A number picks the option of that weight (or is the value of an integer/decimal item); {code} picks by code. */
export type AnswerInput = number | string | boolean | { code: string; system?: string };

export interface BuildResponseOptions {
  status?: QuestionnaireResponse['status'];
  /** Overrides `url|version`, e.g. to build a response to another version. */
  questionnaire?: string;
  id?: string;
  subject?: Reference;
  author?: Reference;
  source?: Reference;
  basedOn?: Reference[];
  authored?: string;
}

/**
 * Builds a QuestionnaireResponse in form order (groups created as needed) from answers keyed by linkId,
 * for tests, seeds and benchmarks. Throws on an unknown linkId or an answer no option matches.
 */
export function buildResponse(
  definition: InstrumentDefinition,
  answers: Record<string, AnswerInput | AnswerInput[]>,
  opts: BuildResponseOptions = {},
): QuestionnaireResponse {
  const { questionnaire: q } = definition;
  const used = new Set<string>();
  const build = (items: QuestionnaireItem[] | undefined): QuestionnaireResponseItem[] =>
    (items ?? []).flatMap((item) => {
      const children = build(item.item);
      const input = answers[item.linkId];
      if (input === undefined && children.length === 0) return [];
      used.add(item.linkId);
      const out: QuestionnaireResponseItem = { linkId: item.linkId, ...(item.text && { text: item.text }) };
      if (input !== undefined) out.answer = (Array.isArray(input) ? input : [input]).map((v) => answerFor(item, v));
      if (children.length > 0) {
        if (out.answer) out.answer[0].item = children;
        else out.item = children;
      }
      return [out];
    });
  const item = build(q.item);
  const unknown = Object.keys(answers).filter((id) => !used.has(id));
  if (unknown.length > 0) throw new Error(`No item(s) ${unknown.join(', ')} in ${canonicalOf(q)}`);
  const { status = 'completed', questionnaire = canonicalOf(q), ...rest } = opts;
  return { resourceType: 'QuestionnaireResponse', ...rest, questionnaire, status, item };
}

function answerFor(item: QuestionnaireItem, input: AnswerInput): QuestionnaireResponseItemAnswer {
  if (item.answerOption?.length) {
    const option = item.answerOption.find((o) =>
      typeof input === 'number'
        ? optionWeight(o) === input || o.valueInteger === input
        : typeof input === 'object'
          ? o.valueCoding?.code === input.code && (input.system === undefined || o.valueCoding?.system === input.system)
          : o.valueCoding?.code === input || o.valueString === input,
    );
    if (option) {
      const { extension: _weights, initialSelected: _selected, ...value } = option;
      return value;
    }
    if (item.type !== 'open-choice' || typeof input !== 'string') {
      throw new Error(`No option of ${item.linkId} matches ${JSON.stringify(input)}`);
    }
  }
  if (typeof input === 'object') return { valueCoding: { code: input.code, system: input.system } };
  switch (item.type) {
    case 'integer': return { valueInteger: input as number };
    case 'decimal': return { valueDecimal: input as number };
    case 'boolean': return { valueBoolean: input as boolean };
    case 'date': return { valueDate: input as string };
    case 'dateTime': return { valueDateTime: input as string };
    case 'time': return { valueTime: input as string };
    case 'url': return { valueUri: input as string };
    default: return { valueString: String(input) };
  }
}
