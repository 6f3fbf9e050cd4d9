import type { Questionnaire, QuestionnaireItem, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';
import { enableContext, isEnabled, type EnableContext } from './enable-when.js';
import { canonicalOf, parseCanonical } from './canonical.js';
import { calculatedExpressionOf, indexQuestionnaire, type QuestionnaireIndex } from './questionnaire-index.js';
import { listOf } from './response-tree.js';
import { withContainedOptions } from './answer-options.js';
import { checkQuestion } from './validation.answers.js';
import type { ValidationIssue, ValidationRule } from './validation.types.js';

const ACCEPTED_STATUS = ['in-progress', 'completed', 'amended'];

interface Walk {
  index: QuestionnaireIndex;
  enable: EnableContext;
  /** completed/amended: required items enforced; in-progress drafts are lenient. */
  strict: boolean;
  issues: ValidationIssue[];
}

/**
 * Every problem of a response against its Questionnaire (never just the first). Drafts skip required
 * items and only warn about answers to items that became disabled; everything else applies to both.
 * Answers to calculated (score) items are not checked: the engine discards and recomputes them.
 */
export function validateResponse(questionnaire: Questionnaire, response: QuestionnaireResponse): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (rule: ValidationRule, message: string, expression: string) =>
    issues.push({ severity: 'error', rule, message, expression });
  if (response?.resourceType !== 'QuestionnaireResponse') {
    add('resource-type', 'Expected a QuestionnaireResponse', 'QuestionnaireResponse');
    return issues;
  }
  if (!ACCEPTED_STATUS.includes(response.status)) {
    add('status', `Status must be one of ${ACCEPTED_STATUS.join(', ')}, got ${response.status}`, 'QuestionnaireResponse.status');
  }
  checkReference(questionnaire, response.questionnaire, add);
  const walk: Walk = {
    index: indexQuestionnaire(questionnaire),
    enable: enableContext(questionnaire, response),
    strict: response.status !== 'in-progress',
    issues,
  };
  checkLevel(questionnaire.item, response.item, 'QuestionnaireResponse', walk);
  return issues;
}

function checkReference(questionnaire: Questionnaire, reference: string | undefined, add: (r: ValidationRule, m: string, e: string) => void): void {
  const expected = canonicalOf(questionnaire);
  const { url, version } = parseCanonical(reference ?? '');
  const problem = !reference
    ? `questionnaire is missing; expected ${expected}`
    : url !== questionnaire.url
      ? `Response is for ${url}, not ${questionnaire.url}`
      : version !== questionnaire.version
        ? `Response is for version ${version ?? '(none)'}, expected ${expected}`
        : undefined;
  if (problem) add('questionnaire-reference', problem, 'QuestionnaireResponse.questionnaire');
}

const itemPath = (base: string, linkId: string) => `${base}.item.where(linkId='${linkId.replace(/['\\]/g, '\\$&')}')`;

/** Checks the response items of one level against the Questionnaire items expected there. */
function checkLevel(expected: QuestionnaireItem[] | undefined, given: QuestionnaireResponseItem[] | undefined, base: string, walk: Walk): void {
  const report = (rule: ValidationRule, message: string, expression: string, linkId: string, severity: ValidationIssue['severity'] = 'error') =>
    walk.issues.push({ severity, rule, message, expression, linkId });
  const items = wellFormed(given, `${base}.item`, walk);
  // Siblings counted once per level: counted per item (a filter each), 40 000 copies of one item took minutes.
  const count = new Map<string, number>();
  for (const item of items) count.set(item.linkId, (count.get(item.linkId) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const item of items) {
    const nth = seen.get(item.linkId) ?? 0;
    seen.set(item.linkId, nth + 1);
    const siblings = count.get(item.linkId) as number;
    const path = itemPath(base, item.linkId) + (siblings > 1 ? `[${nth}]` : '');
    const qItem = expected?.find((q) => q.linkId === item.linkId);
    if (!qItem) {
      const elsewhere = walk.index.byLinkId.has(item.linkId);
      report(elsewhere ? 'misplaced-item' : 'unknown-item',
        elsewhere ? `${item.linkId} is not allowed at this level of the form` : `No item ${item.linkId} in the Questionnaire`, path, item.linkId);
    } else if (nth > 0 && !qItem.repeats) {
      report('duplicate-item', `${item.linkId} appears ${siblings} times but does not repeat`, path, item.linkId);
    } else {
      checkItem(qItem, item, path, walk, report);
    }
  }
  // Required items that are absent altogether (calculated items are filled in by the engine).
  for (const qItem of expected ?? []) {
    if (!walk.strict || !qItem.required || seen.has(qItem.linkId) || calculatedExpressionOf(qItem) !== undefined) continue;
    if (!isEnabled(qItem, walk.enable)) continue;
    const path = itemPath(base, qItem.linkId) + (qItem.type === 'group' ? '' : '.answer');
    report('required', `${qItem.linkId} is required`, path, qItem.linkId);
  }
}

type ItemReport = (rule: ValidationRule, message: string, expression: string, linkId: string, severity?: ValidationIssue['severity']) => void;

function checkItem(qItem: QuestionnaireItem, item: QuestionnaireResponseItem, path: string, walk: Walk, report: ItemReport): void {
  if (calculatedExpressionOf(qItem) !== undefined) return;
  const answers = wellFormed(item.answer, `${path}.answer`, walk);
  const { linkId } = qItem;
  if (!isEnabled(qItem, walk.enable)) {
    if (hasAnswers(item)) {
      report('disabled-answered', `${linkId} is disabled by enableWhen and must not be answered`,
        qItem.type === 'group' ? path : `${path}.answer`, linkId, walk.strict ? 'error' : 'warning');
    }
    return;
  }
  if (qItem.type === 'display' || qItem.type === 'group') {
    if (answers.length > 0) report('answer-not-allowed', `${linkId} is a ${qItem.type} item and takes no answer`, `${path}.answer`, linkId);
    if (qItem.type === 'display') {
      if (listOf(item.item).length > 0) report('misplaced-item', `${linkId} is a display item and holds no items`, `${path}.item`, linkId);
      return;
    }
    checkLevel(qItem.item, item.item, path, walk);
    if (walk.strict && qItem.required && !hasAnswers(item)) report('required', `Group ${linkId} needs at least one answer`, path, linkId);
    return;
  }
  if (item.item?.length) report('misplaced-item', `Items under question ${linkId} belong inside its answer`, `${path}.item`, linkId);
  checkQuestion(withContainedOptions(walk.enable.questionnaire, qItem), answers, path, walk.strict, (rule, message, expression) => report(rule, message, expression, linkId));
  if (qItem.item?.length) {
    answers.forEach((a, i) => checkLevel(qItem.item, a.item, answers.length > 1 ? `${path}.answer[${i}]` : `${path}.answer`, walk));
  } else if (answers.some((a) => listOf(a.item).length > 0)) {
    // Nothing was checked there, yet it was stored, shown with the response and counted by enableWhen (review).
    report('misplaced-item', `${linkId} has no items of its own: nothing belongs inside its answer`, `${path}.answer.item`, linkId);
  }
}

function hasAnswers(item: QuestionnaireResponseItem): boolean {
  return listOf(item.answer).length > 0 || listOf(item.item).some(hasAnswers);
}

/** The well-formed entries of a list (objects; items with a linkId); anything else is reported once. */
function wellFormed<T extends object>(list: T[] | undefined, path: string, walk: Walk): T[] {
  if (list === undefined) return [];
  const isItemList = path.endsWith('.item');
  const good = (Array.isArray(list) ? list : []).filter(
    (e) => typeof e === 'object' && e !== null && (!isItemList || typeof (e as { linkId?: unknown }).linkId === 'string'),
  );
  if (!Array.isArray(list) || good.length < list.length) {
    const message = `${path} must be a list of ${isItemList ? 'items with a linkId' : 'answers'}`;
    walk.issues.push({ severity: 'error', rule: 'malformed', message, expression: path });
  }
  return good;
}
