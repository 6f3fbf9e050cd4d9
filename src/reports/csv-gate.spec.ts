import { DomainError } from '../common/errors/domain-error.js';
import { planCsv } from './csv-gate.js';
import { parseReportArgs } from './report-cli.args.js';

describe('planCsv (which CSV rows may leave)', () => {
  const groups = [
    { cohort: 'Spring', participantType: 'patient' as const, participants: 14, rows: 120 },
    { cohort: 'Spring', participantType: 'caregiver' as const, participants: 3, rows: 20 },
    { cohort: 'Autumn', participantType: 'patient' as const, participants: 11, rows: 90 },
  ];

  it('keeps groups of at least the threshold and withholds smaller ones whole', () => {
    const plan = planCsv(groups, 11);
    expect(plan).toMatchObject({ participants: 25, rows: 210, withheldGroups: 1 });
    expect(plan.keep({ cohort: 'Spring', participantType: 'patient' })).toBe(true);
    expect(plan.keep({ cohort: 'Spring', participantType: 'caregiver' })).toBe(false);
    expect(plan.keep({ cohort: 'Winter', participantType: 'patient' })).toBe(false);
  });

  it('refuses an export left with fewer participants than the threshold, explaining why', () => {
    expect(() => planCsv(groups.slice(1, 2), 11)).toThrow(DomainError);
    expect(() => planCsv([], 11)).toThrow(/at least 11 participants/);
    try {
      planCsv(groups, 30);
    } catch (e) {
      expect((e as DomainError).code).toBe('REPORTS.POPULATION_TOO_SMALL');
    }
  });
});

describe('parseReportArgs (npm run report)', () => {
  it('maps the options onto the API query and defaults to JSON on stdout', () => {
    const a = parseReportArgs(['--program', 'mindful-self-compassion-als', '--participant-type', 'caregiver', '--from', '2026-01-01', '--out', '-']);
    expect(a).toEqual({ query: { program: 'mindful-self-compassion-als', participantType: 'caregiver', from: '2026-01-01', format: 'json' }, out: undefined, registration: undefined, issuer: undefined, progress: undefined });
    expect(parseReportArgs(['--program', 'p', '--format', 'csv', '--out', 'x.csv', '--no-progress'])).toMatchObject({ out: 'x.csv', progress: false, query: { format: 'csv' } });
  });

  it('refuses what the API would refuse, and unknown options', () => {
    expect(() => parseReportArgs(['--program', 'p', '--answer-mode', 'both'])).toThrow(DomainError);
    expect(() => parseReportArgs(['--program', 'p', '--patient', '1'])).toThrow(/Unknown option/);
  });
});
