import type {
  CodeableConcept,
  Coding,
  Element,
  Extension,
  Observation,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItemAnswer,
} from 'fhir/r4.js';
import { EXT, SURVEY_CATEGORY } from './codes.js';
import type { InstrumentDefinition, ScoreDefinition } from './instrument.types.js';
import { allResponseItems, listOf } from './response-tree.js';
import { bandFor } from './scoring.js';

// SDC observation-based extraction (https://hl7.org/fhir/uv/sdc/extraction.html#obs-extract): which answers of a
// response become Observations, with which code, category and value, read from the Questionnaire itself. Who, when
// and how it is written (subject, performer, identifiers, status) is the write-back mapper's business.

/** The Observation's value[x], as R4 allows it (a decimal answer becomes a Quantity: R4 has no valueDecimal). */
export type ObservationValue = Pick<
  Observation,
  'valueInteger' | 'valueQuantity' | 'valueCodeableConcept' | 'valueString' | 'valueBoolean' | 'valueDateTime' | 'valueTime'
>;

/** One answer the Questionnaire marks for extraction, as Observation content. */
export interface ExtractedObservation {
  linkId: string;
  /** Unique within the response: the linkId for an item's first answer, `linkId[n]` for the n-th further one. */
  key: string;
  code: CodeableConcept;
  category: CodeableConcept[];
  value: ObservationValue;
  /** The score's band (score metadata), when the item is a score with bands. */
  interpretation?: CodeableConcept[];
}

/** How one item is extracted. */
export interface ExtractionRule {
  linkId: string;
  codes: Coding[];
  category: CodeableConcept[];
  /** questionnaire-unit: the value becomes a Quantity in this unit. */
  unit?: Coding;
  /** The item's score metadata: range check (out of range is not written), band, UCUM unit. */
  score?: ScoreDefinition;
  type: QuestionnaireItem['type'];
}

const UCUM = 'http://unitsofmeasure.org';

/** true / false / undefined (not said here). A valueCode (SDC 4: `independent`, `member`…) counts as true. */
function flagOf(extensions: Extension[] | undefined): boolean | undefined {
  const ext = extensions?.find((e) => e.url === EXT.observationExtract);
  if (!ext) return undefined;
  return ext.valueBoolean ?? (ext.valueCode ? true : undefined);
}

function categoryOf(extensions: Extension[] | undefined): CodeableConcept[] | undefined {
  const found = (extensions ?? []).filter((e) => e.url === EXT.observationExtractCategory && e.valueCodeableConcept).map((e) => e.valueCodeableConcept!);
  return found.length ? found : undefined;
}

const withoutExtensions = ({ extension: _e, ...coding }: Coding & Element): Coding => coding;

/** Whether the form declares observation-based extraction anywhere (root, an item, or one of an item's codes). */
export function declaresObservationExtract(definition: InstrumentDefinition): boolean {
  const q = definition.questionnaire;
  const inItems = (items: QuestionnaireItem[] | undefined): boolean =>
    (items ?? []).some((i) => flagOf(i.extension) !== undefined || (i.code ?? []).some((c) => flagOf((c as Element).extension) !== undefined) || inItems(i.item));
  return flagOf(q.extension) !== undefined || inItems(q.item);
}

const plans = new WeakMap<InstrumentDefinition, Map<string, ExtractionRule>>();

/**
 * The items whose answers become Observations. SDC: the observationExtract extension on the Questionnaire, a
 * group or an item says it for that level and below (the nearest one wins; `false` excludes an item and its
 * descendants); tagging some of an item's codes extracts it with those codes only; an item needs a code. The
 * observation-extract-category extension works the same way (default: survey). A form that declares no
 * observationExtract at all (forms imported before this module read SDC extraction) has its described scores
 * extracted, coded as their score metadata says. Groups are not extracted as panels (no hasMember/component).
 */
export function extractionPlan(definition: InstrumentDefinition): Map<string, ExtractionRule> {
  let plan = plans.get(definition);
  if (plan) return plan;
  plan = new Map();
  const scores = new Map(definition.scores.map((s) => [s.linkId, s]));
  const q = definition.questionnaire;
  if (!declaresObservationExtract(definition)) {
    const types = new Map<string, QuestionnaireItem['type']>();
    const index = (items: QuestionnaireItem[] | undefined) => items?.forEach((i) => (types.set(i.linkId, i.type), index(i.item)));
    index(q.item);
    for (const s of definition.scores) plan.set(s.linkId, { linkId: s.linkId, codes: [s.code], category: [SURVEY_CATEGORY], score: s, type: types.get(s.linkId) ?? 'decimal' });
  } else {
    const visit = (items: QuestionnaireItem[] | undefined, inherited: boolean | undefined, category: CodeableConcept[]) => {
      for (const item of items ?? []) {
        const flag = flagOf(item.extension) ?? inherited;
        const here = categoryOf(item.extension) ?? category;
        if (flag === false) continue;
        const tagged = (item.code ?? []).filter((c) => flagOf((c as Element).extension) === true);
        const codes = (tagged.length ? tagged : (item.code ?? [])).map(withoutExtensions);
        const answers = item.type !== 'group' && item.type !== 'display';
        if (answers && (flag === true || tagged.length) && codes.length && !plan!.has(item.linkId)) {
          const unit = item.extension?.find((e) => e.url === EXT.unit)?.valueCoding;
          plan!.set(item.linkId, { linkId: item.linkId, codes, category: here, type: item.type, ...(unit ? { unit } : {}), ...(scores.has(item.linkId) ? { score: scores.get(item.linkId) } : {}) });
        }
        visit(item.item, flag, here);
      }
    };
    visit(q.item, flagOf(q.extension), categoryOf(q.extension) ?? [SURVEY_CATEGORY]);
  }
  plans.set(definition, plan);
  return plan;
}

function quantity(value: number, unit: Coding): ObservationValue {
  return { valueQuantity: { value, unit: unit.display ?? unit.code, ...(unit.system ? { system: unit.system } : {}), ...(unit.code ? { code: unit.code } : {}) } };
}

/** The Observation value of one answer, or undefined when it has none R4 allows (or a score out of its range). */
function valueOf(rule: ExtractionRule, answer: QuestionnaireResponseItemAnswer): { value: ObservationValue; interpretation?: CodeableConcept[] } | undefined {
  const n = answer.valueInteger ?? answer.valueDecimal;
  if (typeof n === 'number') {
    const s = rule.score;
    if (s && (n < s.min || n > s.max)) return undefined;
    const band = s ? bandFor(s, n) : undefined;
    const interpretation = band ? { interpretation: [{ coding: [band], ...(band.display ? { text: band.display } : {}) }] } : {};
    if (rule.unit) return { value: quantity(n, rule.unit), ...interpretation };
    if (answer.valueInteger !== undefined && (rule.type === 'integer' || !s) && Number.isInteger(n)) return { value: { valueInteger: n }, ...interpretation };
    return { value: s ? quantity(n, { system: UCUM, code: s.unit }) : { valueQuantity: { value: n } }, ...interpretation };
  }
  if (answer.valueCoding) {
    const c = answer.valueCoding;
    return { value: { valueCodeableConcept: { coding: [withoutExtensions(c)], ...(c.display ? { text: c.display } : {}) } } };
  }
  if (answer.valueString !== undefined) return { value: { valueString: answer.valueString } };
  if (answer.valueBoolean !== undefined) return { value: { valueBoolean: answer.valueBoolean } };
  if (answer.valueDate !== undefined || answer.valueDateTime !== undefined) return { value: { valueDateTime: answer.valueDateTime ?? answer.valueDate } };
  if (answer.valueTime !== undefined) return { value: { valueTime: answer.valueTime } };
  if (answer.valueQuantity) return { value: { valueQuantity: answer.valueQuantity } };
  return undefined; // uri, attachment, reference: no Observation value for them
}

/**
 * The Observations a (calculated, stored) response yields, in response order: one per answer of every item
 * marked for extraction (a skipped question yields none; each answer of a repeating item its own).
 */
export function extractObservations(definition: InstrumentDefinition, response: QuestionnaireResponse): ExtractedObservation[] {
  const plan = extractionPlan(definition);
  if (plan.size === 0) return [];
  const seen = new Map<string, number>();
  const out: ExtractedObservation[] = [];
  for (const item of allResponseItems(response.item)) {
    const rule = plan.get(item.linkId);
    if (!rule) continue;
    for (const answer of listOf(item.answer)) {
      const extracted = valueOf(rule, answer);
      if (!extracted) continue;
      const n = seen.get(item.linkId) ?? 0;
      seen.set(item.linkId, n + 1);
      const first = rule.codes[0];
      out.push({
        linkId: item.linkId,
        key: n === 0 ? item.linkId : `${item.linkId}[${n}]`,
        code: { coding: rule.codes, ...(first.display ? { text: first.display } : {}) },
        category: rule.category,
        ...extracted,
      });
    }
  }
  return out;
}
