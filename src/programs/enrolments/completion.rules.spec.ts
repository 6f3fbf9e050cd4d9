import type { DomainError } from '../../common/errors/domain-error.js';
import { assertCompletionMet, evaluateCompletion } from './completion.rules.js';

const course = { minAttended: 6, requirePostQuestionnaires: true };

describe('the completion rule', () => {
  it('needs 6 of 8 attended and the post questionnaires for the course', () => {
    expect(evaluateCompletion(course, 6, true).met).toBe(true);
    expect(evaluateCompletion(course, 8, true).met).toBe(true);
    expect(evaluateCompletion(course, 5, true).met).toBe(false);
    expect(evaluateCompletion(course, 8, false)).toMatchObject({ met: false, questionnairesDone: false });
  });

  it('ignores questionnaires when the program does not require them', () => {
    expect(evaluateCompletion({ minAttended: 4, requirePostQuestionnaires: false }, 4, false)).toMatchObject({ met: true, questionnairesDone: true });
  });

  it('explains every unmet part', () => {
    expect(() => assertCompletionMet(evaluateCompletion(course, 8, true))).not.toThrow();
    try {
      assertCompletionMet(evaluateCompletion(course, 5, false));
      throw new Error('should have thrown');
    } catch (e) {
      expect((e as DomainError).code).toBe('PROGRAMS.COMPLETION_RULE_NOT_MET');
      expect((e as DomainError).issues.map((i) => i.expression)).toEqual(['attendance', 'questionnaires']);
    }
  });
});
