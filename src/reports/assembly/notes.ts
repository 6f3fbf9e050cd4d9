// Notes printed with the report where they change how a figure should be read.
import { isSuppressed } from '../statistics/index.js';
import type { OutcomeData } from '../outcome-data.port.js';
import type { OutcomeFigures, ReportNote } from './outcome-report.types.js';

/** Below this many pairs, intervals are wide and the t-based interval leans on normality. */
export const SMALL_N = 30;

const PHQ9_SOMATIC =
  'PHQ-9: the somatic items (3 sleep, 4 tiredness or low energy, 5 appetite, 8 moving or speaking slowly / restlessness) ' +
  'overlap with ALS symptoms, so totals may be inflated and may rise with disease progression rather than mood.';

export function reportNotes(data: OutcomeData, outcomes: readonly OutcomeFigures[], threshold: number, answerMode?: string, language?: string): ReportNote[] {
  const notes: ReportNote[] = [
    {
      code: 'pilot-feasibility',
      text:
        'A single-group before/after evaluation of a pilot program, reported in the spirit of the CONSORT extension to ' +
        'pilot and feasibility trials (Eldridge et al., BMJ 2016;355:i5239): figures are estimates with 95% confidence ' +
        'intervals that show their uncertainty; p-values are descriptive, not tests of effectiveness. Without a control ' +
        'group, changes cannot be attributed to the program (natural course, regression to the mean and ALS progression all move scores).',
    },
    {
      code: 'suppression',
      text:
        threshold > 1
          ? `De-identified: counts from 1 to ${threshold - 1} are suppressed, further counts are suppressed where a small one ` +
            'could be worked out from totals or other tables, and any figure computed from a suppressed count is suppressed too.'
          : 'No small-cell suppression (threshold 1): not for sharing outside the clinic.',
    },
    {
      code: 'pairing',
      text:
        'Only participants with both a baseline and a post value enter the paired figures (change, tests, effect size, MCID, ' +
        'band movement); each outcome says how many enrolled participants were left out and why. Baseline and post means use all available values.',
    },
    {
      code: 'methods',
      text:
        'Change = post − baseline. Mean change with a t-based 95% CI and paired t-test; Wilcoxon signed-rank test (zeros dropped, ' +
        'exact p below 50 pairs without ties, otherwise normal approximation with continuity correction); Cohen’s d_z = mean change / SD ' +
        'of changes with a noncentral-t 95% CI; shares with Wilson 95% CIs; quartiles by R’s type 7.',
    },
  ];
  // A suppressed n is listed whatever its size: the note must not bound a hidden count.
  const small = outcomes.filter((o) => isSuppressed(o.paired.n) || o.paired.n < SMALL_N).map((o) => o.score.title);
  if (small.length) {
    notes.push({ code: 'small-n', text: `Small or suppressed samples (fewer than ${SMALL_N} pairs, or a suppressed number of pairs) for: ${small.join(', ')}. Intervals are wide; read the estimates, not the p-values.` });
  }
  if (outcomes.length > 1) {
    notes.push({ code: 'multiplicity', text: `${outcomes.length} outcomes are tested without adjustment for multiple comparisons.` });
  }
  for (const s of data.scores) {
    const phq9 = /\/phq-9$/.test(s.meta.instrumentUrl);
    if (phq9) notes.push({ code: 'phq9-somatic', text: PHQ9_SOMATIC });
    else if (s.meta.note) notes.push({ code: `note:${s.meta.linkId}`, text: `${s.meta.title}: ${s.meta.note}` });
  }
  if (data.funnel.inProgress > 0) {
    notes.push({ code: 'in-progress', text: 'Some participants are still in the program: retention, attendance and post-timepoint figures will change.' });
  }
  notes.push(
    answerMode
      ? { code: 'answer-mode', text: `Questionnaire figures include only answers given ${answerMode === 'proxy' ? 'by a proxy (someone typing for the participant)' : 'by participants themselves'}.` }
      : { code: 'answer-mode', text: 'Questionnaire figures include answers typed by a proxy for the participant; filter by answer mode to separate them.' },
  );
  if (language) {
    notes.push({
      code: 'language',
      text: `Questionnaire figures include only responses answered in language '${language}'; enrolment, attendance, assessment completion and safety figures cover every language.`,
    });
  }
  return notes;
}
