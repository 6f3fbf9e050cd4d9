import { describe, expect, it } from '@jest/globals';
import { scoreLines, summaryText, type ScoreMeta } from './patient-summary.js';

const PHQ9: ScoreMeta = {
  instrument: 'PHQ-9',
  score: 'total',
  direction: 'higher-is-worse',
  bands: [
    { display: 'minimal', max: 4 },
    { display: 'mild', max: 9 },
    { display: 'moderate', max: 14 },
    { display: 'moderately severe', max: 19 },
    { display: 'severe', max: 27 },
  ],
};
const meta = (url: string) => (url === 'http://x.org/Questionnaire/phq-9' ? PHQ9 : undefined);
const row = (value: number | null, authored: string, timepoint: string | null, instrumentUrl = 'http://x.org/Questionnaire/phq-9') => ({ instrumentUrl, linkId: 'phq9-total', value, authored, timepoint });

describe("the clinician's note summary", () => {
  it('gives the latest score with its band and the change since the baseline timepoint', () => {
    const [line] = scoreLines([row(8, '2026-11-20T10:00:00Z', 'post'), row(16, '2026-09-01T10:00:00Z', 'baseline'), row(12, '2026-10-15T10:00:00Z', 'mid')], meta);
    expect(line).toMatchObject({ instrument: 'PHQ-9', latest: { value: 8, band: 'mild', timepoint: 'post' }, baseline: { value: 16, band: 'moderately severe' }, change: -8 });
  });

  it('compares with the first score when there is no baseline, and with nothing when there is one score', () => {
    expect(scoreLines([row(5, '2026-10-01T00:00:00Z', null), row(7, '2026-11-01T00:00:00Z', null)], meta)[0]).toMatchObject({ change: 2, baseline: { value: 5 } });
    expect(scoreLines([row(5, '2026-10-01T00:00:00Z', 'baseline')], meta)[0]).toMatchObject({ change: null, baseline: null });
    expect(scoreLines([row(3, '2026-10-01T00:00:00Z', null, 'http://clinic.example/Questionnaire/local')], meta)[0]).toMatchObject({ instrument: 'http://clinic.example/Questionnaire/local', latest: { band: null } });
  });

  it('reads as plain text, one fact a line, saying which way a change goes', () => {
    const text = summaryText({
      patientId: 'p1',
      generatedAt: '2026-12-02T09:00:00Z',
      programs: [{ program: 'Mindful Self-Compassion for ALS', status: 'active', referredAt: '2026-08-20T00:00:00Z', enrolled: true, attendance: { attended: 5, planned: 8 } }],
      scores: scoreLines([row(8, '2026-11-20T10:00:00Z', 'post'), row(16, '2026-09-01T10:00:00Z', 'baseline')], meta),
      openAlerts: [{ message: 'PHQ-9 item 9 answered above 0.', severity: 'high', raisedAt: '2026-11-20T10:00:00Z', escalated: false }],
    });
    expect(text).toBe(
      [
        'ALS wellness program summary (2026-12-02)',
        '',
        'Program status:',
        '- Mindful Self-Compassion for ALS: active (referred 2026-08-20); attended 5 of 8 planned sessions.',
        '',
        'Latest scores (change since baseline):',
        '- PHQ-9 total: 8 (mild) on 2026-11-20; -8 since baseline (16, moderately severe, 2026-09-01), better.',
        '',
        'Open safety alerts: 1',
        '- PHQ-9 item 9 answered above 0. (high, raised 2026-11-20).',
        '',
      ].join('\n'),
    );
    expect(summaryText({ patientId: 'p1', generatedAt: '2026-12-02T09:00:00Z', programs: [], scores: [], openAlerts: [] })).toContain('Open safety alerts: none');
  });
});
