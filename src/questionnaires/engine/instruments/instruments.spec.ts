import { describe, expect, it } from '@jest/globals';
import type { Coding, QuestionnaireItem } from 'fhir/r4.js';
import { ALS_CODE_SYSTEM, EXT, LOINC } from '../codes.js';
import { BUILT_IN_INSTRUMENTS } from '../instrument-library.js';
import { optionWeight } from '../questionnaire-index.js';
import { gad7 } from './gad7.js';
import { phq9 } from './phq9.js';
import { scsSf } from './scs-sf.js';
import { who5 } from './who5.js';

const VERIFIED_LOINC = ['44249-1', '44261-6', '69737-5', '70274-6', 'LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];

function allCodings(value: unknown, out: Coding[] = []): Coding[] {
  if (Array.isArray(value)) value.forEach((v) => allCodings(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.system === 'string' && typeof o.code === 'string') out.push(o as Coding);
    Object.values(o).forEach((v) => allCodings(v, out));
  }
  return out;
}
const flatten = (items: QuestionnaireItem[] = []): QuestionnaireItem[] => items.flatMap((i) => [i, ...flatten(i.item)]);
const item = (items: QuestionnaireItem[] | undefined, linkId: string) => flatten(items).find((i) => i.linkId === linkId)!;

describe.each(BUILT_IN_INSTRUMENTS.map((d) => [d.questionnaire.name, d] as const))('%s', (_name, { questionnaire, scores }) => {
  it('is an active, versioned SDC Questionnaire under the module base URL', () => {
    expect(questionnaire).toMatchObject({ resourceType: 'Questionnaire', status: 'active', version: '1.0.0' });
    expect(questionnaire.url).toBe(`https://als-wellness.example.org/fhir/Questionnaire/${questionnaire.id}`);
    expect(questionnaire.meta?.profile).toContain('http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire');
    expect(questionnaire.title && questionnaire.copyright && questionnaire.description).toBeTruthy();
  });

  it('uses only verified LOINC codes, and the module CodeSystem otherwise', () => {
    const codings = allCodings({ questionnaire, scores });
    expect(codings.length).toBeGreaterThan(3);
    for (const { system, code } of codings) {
      if (system === LOINC) expect(VERIFIED_LOINC).toContain(code);
      else expect(system).toBe(ALS_CODE_SYSTEM);
    }
  });

  it('scores through hidden, read-only FHIRPath calculated items', () => {
    for (const score of scores) {
      const scoreItem = item(questionnaire.item, score.linkId);
      expect(scoreItem.readOnly).toBe(true);
      expect(scoreItem.extension).toContainEqual({ url: EXT.hidden, valueBoolean: true });
      const expression = scoreItem.extension!.find((e) => e.url === EXT.calculatedExpression)!.valueExpression!;
      expect(expression.language).toBe('text/fhirpath');
    }
  });
});

describe('published content', () => {
  it('PHQ-9 and GAD-7 carry the stem, the LL358-3 answers weighted 0–3 and the verified LOINC panel and total', () => {
    expect(item(phq9.questionnaire.item, 'phq9-stem').text).toBe('Over the last 2 weeks, how often have you been bothered by any of the following problems?');
    for (const [def, panel, total] of [[phq9, '44249-1', '44261-6'], [gad7, '69737-5', '70274-6']] as const) {
      expect(def.questionnaire.code![0].code).toBe(panel);
      expect(def.scores[0].code.code).toBe(total);
      const first = flatten(def.questionnaire.item).find((i) => i.type === 'choice')!;
      expect(first.answerOption!.map((o) => [o.valueCoding!.display, o.valueCoding!.code, optionWeight(o)])).toEqual([
        ['Not at all', 'LA6568-5', 0], ['Several days', 'LA6569-3', 1], ['More than half the days', 'LA6570-1', 2], ['Nearly every day', 'LA6571-9', 3],
      ]);
    }
    expect(item(phq9.questionnaire.item, 'phq9-9').text).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
  });

  it('WHO-5 has six options from "All of the time" (5) to "At no time" (0) and no LOINC code', () => {
    const options = item(who5.questionnaire.item, 'who5-1').answerOption!;
    expect(options.map((o) => [o.valueCoding!.display, optionWeight(o)])).toEqual([
      ['All of the time', 5], ['Most of the time', 4], ['More than half of the time', 3],
      ['Less than half of the time', 2], ['Some of the time', 1], ['At no time', 0],
    ]);
    expect(JSON.stringify(who5)).not.toContain('71969-0');
  });

  it('SCS-SF weighs items 1, 4, 8, 9, 11, 12 reversed (6 − x) and the others as answered', () => {
    const weights = (n: number) => item(scsSf.questionnaire.item, `scs-sf-${n}`).answerOption!.map(optionWeight);
    for (let n = 1; n <= 12; n++) {
      expect(weights(n)).toEqual([1, 4, 8, 9, 11, 12].includes(n) ? [5, 4, 3, 2, 1] : [1, 2, 3, 4, 5]);
    }
    expect(scsSf.questionnaire.description).toContain('Clin Psychol Psychother 2011;18(3):250–255');
  });

  it('only PHQ-9 raises the self-harm alert, as urgent', () => {
    expect(phq9.safetyRules).toEqual([expect.objectContaining({ id: 'self-harm-risk', severity: 'urgent' })]);
  });
});
