import type { QuestionnaireItem, QuestionnaireItemAnswerOption, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { EXT } from './codes.js';
import { valueOf } from './enable-when.js';
import { extensionValue } from './questionnaire-index.js';
import { isObject } from './response-tree.js';
import type { ValidationRule } from './validation.types.js';

export type Report = (rule: ValidationRule, message: string, expression: string) => void;

/** value[x] allowed per item type (R4 Questionnaire.item.type → QuestionnaireResponse answer value[x]). */
const VALUE_KEY: Record<string, string> = {
  boolean: 'valueBoolean', decimal: 'valueDecimal', integer: 'valueInteger', date: 'valueDate',
  dateTime: 'valueDateTime', time: 'valueTime', string: 'valueString', text: 'valueString', url: 'valueUri',
  attachment: 'valueAttachment', reference: 'valueReference', quantity: 'valueQuantity',
};

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?$/;

const WELL_FORMED: Record<string, (v: unknown) => boolean> = {
  valueBoolean: (v) => typeof v === 'boolean',
  valueDecimal: (v) => typeof v === 'number' && Number.isFinite(v),
  valueInteger: (v) => Number.isInteger(v),
  valueDate: (v) => typeof v === 'string' && DATE.test(v),
  valueDateTime: (v) => typeof v === 'string' && DATE_TIME.test(v),
  valueTime: (v) => typeof v === 'string' && TIME.test(v),
  valueString: (v) => typeof v === 'string',
  valueUri: (v) => typeof v === 'string',
  valueCoding: (v) => isObject(v) && typeof (v as { code?: unknown }).code === 'string',
};

function optionKeys(options: QuestionnaireItemAnswerOption[]): string[] {
  return [...new Set(options.flatMap((o) => Object.keys(o).filter((k) => k.startsWith('value'))))];
}

function allowedKeys(item: QuestionnaireItem): string[] {
  if (item.type === 'choice' || item.type === 'open-choice') {
    const keys = item.answerOption?.length ? optionKeys(item.answerOption) : ['valueCoding'];
    return item.type === 'open-choice' ? [...keys, 'valueString'] : keys;
  }
  return VALUE_KEY[item.type] ? [VALUE_KEY[item.type]] : [];
}

function matchesOption(key: string, value: unknown, option: QuestionnaireItemAnswerOption): boolean {
  const expected = (option as Record<string, unknown>)[key];
  if (key === 'valueCoding') {
    const [a, e] = [value as { system?: string; code?: string }, expected as { system?: string; code?: string } | undefined];
    return e !== undefined && a.code === e.code && a.system === e.system;
  }
  if (key === 'valueReference') return (value as { reference?: string }).reference === (expected as { reference?: string })?.reference;
  return value === expected;
}

/**
 * One question's own checks as a submission gets them: required (when `strict`), then checkAnswers. validateResponse
 * runs it on every enabled question; the browser's player runs it before it moves on from a question.
 */
export function checkQuestion(item: QuestionnaireItem, answers: QuestionnaireResponseItemAnswer[], itemPath: string, strict: boolean, report: Report): void {
  if (strict && item.required && answers.length === 0) report('required', `${item.linkId} is required`, `${itemPath}.answer`);
  checkAnswers(item, answers, itemPath, report);
}

/** Checks one question's answers: count, value type, options, bounds and length. */
export function checkAnswers(item: QuestionnaireItem, answers: QuestionnaireResponseItemAnswer[], itemPath: string, report: Report): void {
  if (!item.repeats && answers.length > 1) {
    report('repeats', `${item.linkId} takes one answer, got ${answers.length}`, `${itemPath}.answer`);
  }
  const allowed = allowedKeys(item);
  answers.forEach((answer, i) => {
    const path = answers.length > 1 ? `${itemPath}.answer[${i}]` : `${itemPath}.answer`;
    const keys = Object.keys(answer).filter((k) => k.startsWith('value'));
    if (keys.length !== 1) return report('answer-type', `${item.linkId}: an answer needs exactly one value[x]`, path);
    const [key] = keys;
    const value = valueOf(answer, 'value');
    if (!allowed.includes(key) || !(WELL_FORMED[key]?.(value) ?? isObject(value))) {
      return report('answer-type', `${item.linkId} is ${item.type}: expected ${allowed.join(' or ')}, got ${key}`, path);
    }
    const options = item.answerOption ?? [];
    const freeText = item.type === 'open-choice' && key === 'valueString';
    if (options.length > 0 && !freeText && !options.some((o) => matchesOption(key, value, o))) {
      return report('answer-option', `${item.linkId}: ${JSON.stringify(value)} is not one of the answer options`, path);
    }
    checkBounds(item, value, path, report);
  });
}

function checkBounds(item: QuestionnaireItem, value: unknown, path: string, report: Report): void {
  const min = extensionValue(item, EXT.minValue);
  const max = extensionValue(item, EXT.maxValue);
  // Numbers compare as numbers; ISO dates and times of equal precision compare as strings.
  const comparable = (bound: unknown) => typeof bound === typeof value && (typeof value === 'number' || typeof value === 'string');
  if (min !== undefined && comparable(min) && (value as number | string) < min) {
    report('min-value', `${item.linkId}: ${value} is below the minimum ${min}`, path);
  }
  if (max !== undefined && comparable(max) && (value as number | string) > max) {
    report('max-value', `${item.linkId}: ${value} is above the maximum ${max}`, path);
  }
  if (item.maxLength !== undefined && typeof value === 'string' && value.length > item.maxLength) {
    report('max-length', `${item.linkId}: ${value.length} characters, at most ${item.maxLength} allowed`, path);
  }
}
