// Named synthetic cohorts shared by the report tests.
import { many, mscProgram, Q, type SyntheticParticipant, type SyntheticProgram } from './synthetic-cohort.js';

const PHQ9 = Q('phq-9');
const phq = (timepoint: 'baseline' | 'post', total: number, mode: 'self' | 'proxy' = 'self', language = 'en') => ({ timepoint, instrumentUrl: PHQ9, scores: { 'phq9-total': total }, mode, language });

/** A program that gives only the PHQ-9, at baseline and post. */
export const PHQ9_ONLY: SyntheticProgram = mscProgram([
  { code: 'baseline', instruments: [PHQ9] },
  { code: 'post', instruments: [PHQ9] },
]);

/**
 * Twelve people referred in spring 2026: six pairs of PHQ-9 totals whose statistics are worked out by hand
 * in outcome-report.spec.ts, one withdrawn after baseline, one still in the course, one completed without
 * a baseline form, two declined and one awaiting a decision.
 */
export function handCohort(): SyntheticParticipant[] {
  const pairs: [number, number, number][] = [
    [12, 7, 8],
    [15, 9, 7],
    [8, 8, 6],
    [10, 4, 8],
    [18, 11, 6],
    [9, 11, 7],
  ];
  const completed = pairs.map(([before, after, attended], i): SyntheticParticipant => ({
    id: `p${i + 1}`, type: i < 4 ? 'patient' : 'caregiver', cohort: 'Spring 2026', referredOn: '2026-02-0' + (i + 1), outcome: 'completed', attended,
    responses: [phq('baseline', before), phq('post', after, i === 1 ? 'proxy' : 'self')],
    ...(i === 4 ? { alerts: { raised: 1, followedUp: 1 } } : i === 1 ? { alerts: { raised: 1, followedUp: 0 } } : {}),
  }));
  return [
    ...completed,
    { id: 'p7', type: 'patient', cohort: 'Spring 2026', referredOn: '2026-02-10', outcome: 'withdrawn', withdrawalReason: 'fatigue', attended: 2, responses: [phq('baseline', 14)] },
    { id: 'p8', type: 'patient', cohort: 'Summer 2026', referredOn: '2026-02-11', outcome: 'inProgress', attended: 0, responses: [phq('baseline', 6)] },
    { id: 'p9', type: 'patient', cohort: 'Summer 2026', referredOn: '2026-02-12', outcome: 'completed', attended: 6, responses: [phq('post', 5)] },
    { id: 'd1', type: 'patient', cohort: '', referredOn: '2026-02-13', outcome: 'declined', screened: true, eligible: false, declineReason: 'ineligible' },
    { id: 'd2', type: 'patient', cohort: '', referredOn: '2026-02-14', outcome: 'declined', declineReason: 'declined-before-screening' },
    { id: 'a1', type: 'patient', cohort: '', referredOn: '2026-03-01', outcome: 'awaiting', screened: true, eligible: true },
  ];
}

/**
 * A larger cohort of 40 (enough to show most figures at the default threshold of 11): 30 completed with
 * PHQ-9 and WHO-5 pairs and satisfaction ratings, 4 withdrawn, 6 declined.
 */
export function largeCohort(): SyntheticParticipant[] {
  const completed = many(30, 'c', (i) => ({
    type: i % 3 === 0 ? 'caregiver' : 'patient',
    cohort: i < 15 ? 'Spring 2026' : 'Autumn 2026',
    referredOn: '2026-01-15',
    outcome: 'completed',
    attended: 5 + (i % 4),
    // Answered in Spanish: every form for one in four, the post forms only for another one in four.
    responses: [
      phq('baseline', 8 + (i % 11), 'self', i % 4 === 1 ? 'es' : 'en'),
      phq('post', 4 + ((i * 7) % 12), i % 5 === 0 ? 'proxy' : 'self', i % 2 === 1 ? 'es' : 'en'),
      { timepoint: 'baseline', instrumentUrl: Q('who-5'), scores: { 'who5-total': 28 + 4 * (i % 6) }, language: i % 4 === 1 ? 'es' : 'en' },
      { timepoint: 'post', instrumentUrl: Q('who-5'), scores: { 'who5-total': 36 + 4 * ((i * 5) % 7) }, language: i % 2 === 1 ? 'es' : 'en' },
      { timepoint: 'post', instrumentUrl: Q('program-satisfaction'), items: { 'satisfaction-overall': 3 + (i % 3), 'satisfaction-recommend': 4 + (i % 2) }, language: i % 2 === 1 ? 'es' : 'en' },
    ],
    ...(i % 10 === 0 ? { alerts: { raised: 1, followedUp: 1 } } : {}),
  }));
  const withdrawn = many(4, 'w', (i) => ({
    type: 'patient', cohort: 'Spring 2026', referredOn: '2026-01-20', outcome: 'withdrawn', attended: 1 + i,
    withdrawalReason: i < 3 ? 'disease-progression' : 'fatigue', responses: [phq('baseline', 12 + i, 'self', i === 0 ? 'es' : 'en')],
  }));
  const declined = many(6, 'd', (i) => ({
    type: 'patient', cohort: '', referredOn: '2026-01-10', outcome: 'declined', screened: i > 1, eligible: false,
    declineReason: i > 1 ? 'ineligible' : 'declined-before-screening',
  }));
  return [...completed, ...withdrawn, ...declined];
}
