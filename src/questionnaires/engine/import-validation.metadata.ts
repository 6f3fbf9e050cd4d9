import type { Questionnaire } from 'fhir/r4.js';
import { checkExpression } from './fhirpath-engine.js';
import type { SafetyRule, ScoreDefinition } from './instrument.types.js';
import { indexQuestionnaire } from './questionnaire-index.js';
import type { ValidationRule } from './validation.types.js';

// Checks of the score and safety metadata that a clinic sends beside its Questionnaire.
// Paths are JSON paths into the import body (`scores[0].bands[1]`), not FHIRPath.

type Add = (rule: ValidationRule, message: string, expression: string) => void;

const DIRECTIONS = ['higher-is-worse', 'higher-is-better'];
const PRIORITIES = ['routine', 'urgent', 'asap', 'stat'];
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function checkScores(questionnaire: Questionnaire, scores: ScoreDefinition[], add: Add): void {
  const { calculated } = indexQuestionnaire(questionnaire);
  const seen = new Set<string>();
  scores.forEach((score, i) => {
    const at = `scores[${i}]`;
    const bad = (message: string, path = at) => add('invalid-metadata', message, path);
    const item = calculated.find((c) => c.item.linkId === score?.linkId)?.item;
    if (!item) bad(`Score ${score?.linkId} is not a calculated item of the form`, `${at}.linkId`);
    else if (item.type !== 'integer' && item.type !== 'decimal') bad(`Score ${score.linkId} must be an integer or decimal item`, `${at}.linkId`);
    if (seen.has(score?.linkId)) bad(`Score ${score.linkId} is described twice`, `${at}.linkId`);
    seen.add(score?.linkId);
    if (!score?.code?.code) bad('A score needs code.code (and code.system)', `${at}.code`);
    if (typeof score?.unit !== 'string') bad('A score needs a UCUM unit, e.g. {score}', `${at}.unit`);
    if (!isNumber(score?.min) || !isNumber(score?.max) || score.min > score.max) bad('min and max must be numbers, min <= max');
    if (!DIRECTIONS.includes(score?.direction)) bad(`direction must be one of ${DIRECTIONS.join(', ')}`, `${at}.direction`);
    if (score?.mcid !== undefined && !(isNumber(score.mcid) && score.mcid > 0)) bad('mcid must be a positive number', `${at}.mcid`);
    if (!Array.isArray(score?.bands)) return bad('bands must be a list (possibly empty)', `${at}.bands`);
    score.bands.forEach((band, j) => {
      const prev = score.bands[j - 1];
      const ordered = isNumber(band?.min) && isNumber(band?.max) && band.min <= band.max && (!prev || prev.max < band.min);
      const inRange = ordered && band.min >= score.min && band.max <= score.max;
      if (!band?.code || !band?.display || !inRange) {
        bad('Bands need code and display, ascending non-overlapping min..max within the score range', `${at}.bands[${j}]`);
      }
    });
  });
}

export function checkSafetyRules(questionnaire: Questionnaire, rules: SafetyRule[], add: Add): void {
  const ids = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `safetyRules[${i}]`;
    if (!rule?.id || ids.has(rule.id)) add('invalid-metadata', `Safety rule id ${rule?.id} is missing or repeated`, `${at}.id`);
    ids.add(rule?.id);
    if (!PRIORITIES.includes(rule?.severity)) add('invalid-metadata', `severity must be one of ${PRIORITIES.join(', ')}`, `${at}.severity`);
    if (!rule?.message) add('invalid-metadata', 'A safety rule needs a message for the clinician', `${at}.message`);
    const problem = typeof rule?.expression === 'string' ? checkExpression(rule.expression, questionnaire) : 'missing';
    if (problem) add('invalid-expression', `Safety rule ${rule?.id}: ${problem}`, `${at}.expression`);
    if (rule?.level !== undefined) {
      const levelProblem = typeof rule.level === 'string' ? checkExpression(rule.level, questionnaire) : 'must be a FHIRPath expression';
      if (levelProblem) add('invalid-expression', `Safety rule ${rule.id} level: ${levelProblem}`, `${at}.level`);
    }
    if (rule?.crisis !== undefined && typeof rule.crisis !== 'boolean') add('invalid-metadata', 'crisis must be true or false', `${at}.crisis`);
  });
}
