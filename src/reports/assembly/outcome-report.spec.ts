import { handCohort, largeCohort, PHQ9_ONLY } from '../../../test/support/reports/cohorts.js';
import { InMemoryOutcomeData } from '../../../test/support/reports/in-memory-outcome-data.js';
import { mscProgram } from '../../../test/support/reports/synthetic-cohort.js';
import { assembleOutcomeReport } from './outcome-report.js';

const FILTERS = { registrationId: 'clinic', program: 'mindful-self-compassion-als' };

async function handReport(threshold = 1) {
  const data = await new InMemoryOutcomeData(PHQ9_ONLY, handCohort()).load(FILTERS);
  return assembleOutcomeReport(data, { threshold, filters: { program: FILTERS.program }, generatedAt: new Date('2026-06-01T00:00:00Z') });
}

describe('assembleOutcomeReport on the hand-computed cohort (threshold 1: nothing suppressed)', () => {
  it('counts the funnel, how referrals stand, and retention', async () => {
    const { report } = await handReport();
    // 12 referred; 11 screened (all but d2); 10 eligible (9 enrolled + a1); 9 enrolled; 8 started (p8 never
    // attended); 7 completed (p1–p6, p9).
    expect(Object.values(report.funnel.stages).map((s) => s.n)).toEqual([12, 11, 10, 9, 8, 7]);
    expect(report.funnel.stages.enrolled.ofReferred).toBeCloseTo(9 / 12, 12);
    expect(report.funnel.stages.completed.ofPrevious).toBeCloseTo(7 / 8, 12);
    expect(report.funnel).toMatchObject({ declined: 2, awaiting: 1, withdrawn: 1, inProgress: 1 });
    expect(report.funnel.declineReasons.filter((r) => r.n !== 0).map((r) => [r.code, r.n])).toEqual([['ineligible', 1], ['declined-before-screening', 1]]);
    expect(report.funnel.withdrawalReasons.find((r) => r.code === 'fatigue')?.n).toBe(1);
    // Retention 7/9 = 0.7778, Wilson 95% CI (SciPy binomtest(7, 9).proportion_ci('wilson')): 0.45259–0.93677.
    expect(report.retention).toMatchObject({ k: 7, n: 9 });
    expect(report.retention.estimate).toBeCloseTo(0.777778, 6);
    expect(report.retention.ci95).toEqual([expect.closeTo(0.452589, 6), expect.closeTo(0.936775, 6)]);
    expect(report.retention.cohorts.map((c) => [c.label, c.k, c.n])).toEqual([['Spring 2026', 6, 7], ['Summer 2026', 1, 2]]);
  });

  it('summarises attendance and assessment completion', async () => {
    const { report } = await handReport();
    // Sessions attended by the 9 enrolled, sorted: 0 2 6 6 6 7 7 8 8. Type 7: h = 8p → median x[4] = 6,
    // Q1 x[2] = 6, Q3 x[6] = 7, IQR 1; 7 of 9 attended ≥ 6.
    expect(report.attendance).toMatchObject({ n: 9, median: 6, q1: 6, q3: 7, iqr: 1, minAttended: 6, sessionCount: 8 });
    expect(report.attendance.meetingRule).toMatchObject({ k: 7, n: 9 });
    // Baseline due for all 9, done by 8 (p9 has none); post due for the 7 who completed, done by all 7.
    expect(report.assessments.map((a) => [a.timepoint, a.k, a.n])).toEqual([['baseline', 8, 9], ['post', 7, 7]]);
    expect(report.safety).toMatchObject({ raised: 2, followedUp: 1, share: { k: 1, n: 2, estimate: 0.5 } });
  });

  it('computes the paired PHQ-9 change as worked out by hand', async () => {
    const { report } = await handReport();
    const o = report.outcomes[0];
    expect(o.key).toBe('phq-9:phq9-total');
    // Pairs (before → after): 12→7, 15→9, 8→8, 10→4, 18→11, 9→11; d = after − before = −5 −6 0 −6 −7 +2.
    // Σd = −22, mean = −22/6 = −3.66667. Σd² = 150, SS = 150 − 22²/6 = 69.3333, var = SS/5 = 13.86667,
    // SD = 3.723797. SE = SD/√6 = 1.520234; t = −3.66667/1.520234 = −2.411910, df 5;
    // t(0.975, 5) = 2.570582 → CI = −3.66667 ± 3.907887 = [−7.574552, 0.241219]; two-sided p = 0.060721.
    // Wilcoxon: the zero is dropped, |d| = 5 6 6 7 2 rank 2 3.5 3.5 5 1, V = 1 (the +2); ties → normal
    // approximation: mean 7.5, var = 5·6·11/24 − (2³−2)/48 = 13.625, z = (1 − 7.5 + 0.5)/√13.625 = −1.625489,
    // p = 0.104059. d_z = −3.66667/3.723797 = −0.984658. (All checked with SciPy 1.17: ttest_rel, wilcoxon
    // method='approx' correction=True; nct inversion for the d_z CI −1.951147 to 0.040837.)
    expect(o.participants).toEqual({ enrolled: 9, paired: 6, missingBaseline: 1, withdrawn: 1, missingPost: 1 });
    const p = o.paired;
    expect(p.n).toBe(6);
    expect(p.before).toEqual({ mean: 12, sd: expect.closeTo(3.847077, 6) }); // deviations 0 3 −4 −2 6 −3: SS 74
    expect(p.after).toEqual({ mean: expect.closeTo(8.333333, 6), sd: expect.closeTo(2.658320, 6) });
    expect(p.change.mean).toBeCloseTo(-3.666667, 6);
    expect(p.change.sd).toBeCloseTo(3.723797, 6);
    expect(p.change.ci95).toEqual([expect.closeTo(-7.574552, 6), expect.closeTo(0.241219, 6)]);
    expect(p.tTest).toEqual({ t: expect.closeTo(-2.41191, 5), df: 5, p: expect.closeTo(0.060721, 6) });
    expect(p.wilcoxon).toMatchObject({ V: 1, p: expect.closeTo(0.104059, 6), zeros: 1, nNonZero: 5, method: 'normal-approx-with-continuity-correction' });
    expect(p.cohenDz.estimate).toBeCloseTo(-0.984658, 6);
    expect(p.cohenDz.ci95).toEqual([expect.closeTo(-1.951147, 4), expect.closeTo(0.040837, 4)]);
    // MCID 5 points down: 5, 6, 6, 7 reach it → 4/6, Wilson CI 0.299993–0.903229.
    expect(p.mcid).toEqual({ k: 4, n: 6, estimate: expect.closeTo(0.666667, 6), ci95: [expect.closeTo(0.299993, 6), expect.closeTo(0.903229, 6)] });
    expect([p.improved, p.unchanged, p.worsened]).toEqual([4, 1, 1]);
  });

  it('uses every available value for baseline and post descriptives, and moves bands', async () => {
    const { report, charts } = await handReport();
    const o = report.outcomes[0];
    // Baseline: the six paired + p7 (14) + p8 (6): mean 92/8 = 11.5, SD 4; post: six paired + p9 (5): 55/7.
    expect(o.baseline).toEqual({ n: 8, mean: 11.5, sd: expect.closeTo(4, 12) });
    expect(o.post).toEqual({ n: 7, mean: expect.closeTo(55 / 7, 12), sd: expect.closeTo(2.734262, 6) });
    // Bands (minimal, mild, moderate, moderately severe, severe): 12→7 mod→mild, 15→9 ms→mild, 8→8 mild→mild,
    // 10→4 mod→minimal, 18→11 ms→mod, 9→11 mild→mod.
    expect(o.bandMovement?.counts).toEqual([
      [0, 0, 0, 0, 0],
      [0, 1, 1, 0, 0],
      [1, 1, 0, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(o.bandMovement?.before).toEqual([0, 2, 2, 2, 0]);
    expect(o.bandMovement?.after).toEqual([1, 3, 2, 0, 0]);
    expect(charts.pairs['phq-9:phq9-total']).toHaveLength(6);
  });

  it('notes the pilot framing, PHQ-9 somatic items, small n and proxy answers', async () => {
    const { report } = await handReport();
    const codes = report.notes.map((n) => n.code);
    expect(codes).toEqual(expect.arrayContaining(['pilot-feasibility', 'suppression', 'pairing', 'phq9-somatic', 'small-n', 'in-progress', 'answer-mode']));
    expect(report.notes.find((n) => n.code === 'phq9-somatic')?.text).toMatch(/sleep.*appetite.*ALS/s);
  });

  it('restricts questionnaire figures to proxy answers when asked', async () => {
    const data = await new InMemoryOutcomeData(PHQ9_ONLY, handCohort()).load({ ...FILTERS, answerMode: 'proxy' });
    const { report } = assembleOutcomeReport(data, { threshold: 1, filters: { answerMode: 'proxy' }, generatedAt: new Date() });
    expect(report.outcomes[0].participants).toMatchObject({ paired: 0, missingBaseline: 9 });
    expect(report.outcomes[0].paired.reasons.tTest).toBe('needs at least 2 pairs');
    expect(report.funnel.stages.enrolled.n).toBe(9);
  });

  it('restricts questionnaire figures to responses answered in one language when asked, and says so', async () => {
    // largeCohort: 8 completers answered everything in Spanish, 7 only their post forms, 1 withdrawn person their baseline.
    const data = await new InMemoryOutcomeData(mscProgram(), largeCohort()).load({ ...FILTERS, language: 'es' });
    const { report } = assembleOutcomeReport(data, { threshold: 1, filters: { language: 'es' }, generatedAt: new Date() });
    const phq9 = report.outcomes.find((o) => o.score.linkId === 'phq9-total')!;
    expect(phq9.participants).toEqual({ enrolled: 34, paired: 8, withdrawn: 1, missingBaseline: 25, missingPost: 0 });
    expect(phq9.post.n).toBe(15);
    expect(phq9.languages).toEqual([{ code: 'es', baseline: 9, post: 15 }]);
    // Satisfaction: the 15 Spanish post forms; enrolment and completion of forms cover every language.
    expect(report.satisfaction[0].n).toBe(15);
    expect(report.funnel.stages.enrolled.n).toBe(34);
    expect(report.notes.find((n) => n.code === 'language')?.text).toMatch(/only responses answered in language 'es'/);
    const english = await new InMemoryOutcomeData(mscProgram(), largeCohort()).load({ ...FILTERS, language: 'en' });
    const en = english.scores.find((s) => s.meta.linkId === 'phq9-total')!;
    // English pairs: the 15 who answered both forms in English (i even).
    expect(en.pairs).toHaveLength(15);
    expect(data.timepoints).toEqual(english.timepoints);
  });

  it('splits baseline and post n of each score by the language the values were answered in', async () => {
    // largeCohort, PHQ-9: baseline 34 (8 completers and 1 withdrawn in Spanish), post 30 (15 in Spanish).
    const data = await new InMemoryOutcomeData(mscProgram(), largeCohort()).load(FILTERS);
    const open = assembleOutcomeReport(data, { threshold: 1, filters: {}, generatedAt: new Date() }).report;
    const phq9 = open.outcomes.find((o) => o.score.linkId === 'phq9-total')!;
    expect([phq9.baseline.n, phq9.post.n]).toEqual([34, 30]);
    expect(phq9.languages).toEqual([{ code: 'en', baseline: 25, post: 15 }, { code: 'es', baseline: 9, post: 15 }]);
    // At k = 11 the 9 Spanish baselines are suppressed, and so is a complement (baseline n − 25 would give them away).
    const closed = assembleOutcomeReport(data, { threshold: 11, filters: {}, generatedAt: new Date() }).report;
    const shown = closed.outcomes.find((o) => o.score.linkId === 'phq9-total')!;
    expect(shown.languages[1]).toEqual({ code: 'es', baseline: { suppressed: true }, post: 15 });
    expect([shown.baseline.n, shown.languages[0].baseline]).toContainEqual({ suppressed: true });
  });

  it('refuses a language split that does not add up to the baseline n', async () => {
    const data = await new InMemoryOutcomeData(mscProgram(), largeCohort()).load(FILTERS);
    const broken = { ...data, scores: data.scores.map((s) => ({ ...s, languages: s.languages.map((l) => ({ ...l, baseline: l.baseline + 1 })) })) };
    expect(() => assembleOutcomeReport(broken, { threshold: 11, filters: {}, generatedAt: new Date() })).toThrow(/inconsistent/);
  });

  it('refuses data that breaks the port contract rather than suppress unsoundly', async () => {
    const data = await new InMemoryOutcomeData(PHQ9_ONLY, handCohort()).load(FILTERS);
    const broken = { ...data, funnel: { ...data.funnel, declined: 3 } };
    expect(() => assembleOutcomeReport(broken, { threshold: 11, filters: {}, generatedAt: new Date() })).toThrow(/inconsistent/);
  });
});
