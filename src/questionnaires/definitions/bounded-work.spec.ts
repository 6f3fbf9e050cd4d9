import type { QuestionnaireResponse } from 'fhir/r4.js';
import { phq9 } from '../engine/instruments/phq9.js';
import { boundedWithoutDeadline, DIRECT_MAX_ANSWER_CHARS } from './bounded-work.js';

const response = (items: QuestionnaireResponse['item']): QuestionnaireResponse => ({ resourceType: 'QuestionnaireResponse', status: 'completed', item: items });
const phqAnswers = Array.from({ length: 9 }, (_, i) => ({ linkId: `phq9-${i + 1}`, answer: [{ valueCoding: { code: 'LA6568-5' } }] }));

describe('boundedWithoutDeadline: which saves run their FHIRPath without the deadline', () => {
  it('a built-in form over an ordinary response', () => {
    expect(boundedWithoutDeadline(phq9, response(phqAnswers))).toBe(true);
  });

  it('not a built-in form over answers larger than DIRECT_MAX_ANSWER_CHARS (a hostile body), however well formed', () => {
    const padded = [...phqAnswers, { linkId: 'note', answer: [{ valueString: 'x'.repeat(DIRECT_MAX_ANSWER_CHARS) }] }];
    expect(boundedWithoutDeadline(phq9, response(padded))).toBe(false);
    const many = Array.from({ length: 2000 }, (_, i) => ({ linkId: `phq9-${(i % 9) + 1}`, answer: [{ valueCoding: { code: 'LA6568-5' } }] }));
    expect(boundedWithoutDeadline(phq9, response(many))).toBe(false);
  });

  it("never a clinic's imported form, even one with a built-in form's content (its expressions are not ours)", () => {
    expect(boundedWithoutDeadline(structuredClone(phq9), response(phqAnswers))).toBe(false);
  });
});
