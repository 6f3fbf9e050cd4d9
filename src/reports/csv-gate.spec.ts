import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { largeCohort } from '../../test/support/reports/cohorts.js';
import { InMemoryOutcomeData } from '../../test/support/reports/in-memory-outcome-data.js';
import { mscProgram } from '../../test/support/reports/synthetic-cohort.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { ReportsConfig } from '../config/reports.config.js';
import { planCsv } from './csv-gate.js';
import type { CsvGroup, OutcomeDataPort } from './outcome-data.port.js';
import type { OutcomeFilters } from './outcome-filters.js';
import { OutcomeReportService } from './outcome-report.service.js';
import { parseReportArgs } from './report-cli.args.js';

describe('planCsv (which CSV rows may leave)', () => {
  const self = (participants: number): CsvGroup['answerModes'] => [{ answerMode: 'self', participants }];
  const enSelf = (participants: number): Pick<CsvGroup, 'languages' | 'answerModes' | 'pairs'> => ({
    languages: [{ language: 'en', participants }], answerModes: self(participants), pairs: [{ language: 'en', answerMode: 'self', participants }],
  });
  const groups: CsvGroup[] = [
    { cohort: 'Spring', participantType: 'patient', participants: 14, rows: 120, ...enSelf(14) },
    { cohort: 'Spring', participantType: 'caregiver', participants: 3, rows: 20, ...enSelf(3) },
    { cohort: 'Autumn', participantType: 'patient', participants: 11, rows: 90, ...enSelf(11) },
  ];
  // Pairs default to what the two columns imply when either has a single value (then the pairs are exact);
  // a group with several of both gives its pairs.
  const group = (
    participants: number,
    cohort = 'Spring',
    languages = [{ language: 'en', participants }],
    answerModes = self(participants),
    pairs: CsvGroup['pairs'] = languages.flatMap((l) => answerModes.map((m) => ({ language: l.language, answerMode: m.answerMode, participants: Math.min(l.participants, m.participants) }))),
  ): CsvGroup => ({ cohort, participantType: 'patient', participants, rows: participants * 4, languages, answerModes, pairs });
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
    }
    return 'exported';
  };

  it('keeps groups of at least the threshold and withholds smaller ones whole', () => {
    const plan = planCsv(groups, 11);
    expect(plan).toMatchObject({ participants: 25, rows: 210, withheldGroups: 1 });
    expect(plan.keep({ cohort: 'Spring', participantType: 'patient' })).toBe(true);
    expect(plan.keep({ cohort: 'Spring', participantType: 'caregiver' })).toBe(false);
    expect(plan.keep({ cohort: 'Winter', participantType: 'patient' })).toBe(false);
    // At the threshold exactly: k kept, k − 1 withheld.
    const edge = planCsv([group(11), group(10, 'Autumn')], 11);
    expect([edge.keep({ cohort: 'Spring', participantType: 'patient' }), edge.keep({ cohort: 'Autumn', participantType: 'patient' })]).toEqual([true, false]);
  });

  it('shows a group’s language only when every language in it has at least the threshold of people', () => {
    const spring = { cohort: 'Spring', participantType: 'patient' as const };
    const autumn = { cohort: 'Autumn', participantType: 'patient' as const };
    const summer = { cohort: 'Summer', participantType: 'patient' as const };
    const plan = planCsv(
      [
        // 20 people: 12 answered in English, 11 in Spanish (3 answered forms in both): both ≥ 11, shown.
        group(20, 'Spring', [{ language: 'en', participants: 12 }, { language: 'es', participants: 11 }]),
        // 14 people, one of them answered in Spanish: the whole group's language is blank, not just the Spanish rows.
        group(14, 'Autumn', [{ language: 'en', participants: 13 }, { language: 'es', participants: 1 }]),
        // 11 people, all in Spanish: one language, shown.
        group(11, 'Summer', [{ language: 'es', participants: 11 }]),
      ],
      11,
    );
    expect([plan.keep(spring), plan.keep(autumn), plan.keep(summer)]).toEqual([true, true, true]);
    expect([plan.languageShown(spring), plan.languageShown(autumn), plan.languageShown(summer)]).toEqual([true, false, true]);
    // At the threshold exactly: k shown, k − 1 blanked.
    const edge = planCsv([group(22, 'Spring', [{ language: 'en', participants: 11 }, { language: 'es', participants: 11 }]), group(21, 'Autumn', [{ language: 'en', participants: 11 }, { language: 'es', participants: 10 }])], 11);
    expect([edge.languageShown(spring), edge.languageShown(autumn)]).toEqual([true, false]);
    // A withheld group shows nothing, language included.
    expect(planCsv([group(11), group(3, 'Autumn', [{ language: 'es', participants: 3 }])], 11).languageShown(autumn)).toBe(false);
  });

  it('shows a group’s answer mode only when every answer mode in it has at least the threshold of people, apart from its language', () => {
    const spring = { cohort: 'Spring', participantType: 'patient' as const };
    const autumn = { cohort: 'Autumn', participantType: 'patient' as const };
    const summer = { cohort: 'Summer', participantType: 'patient' as const };
    const en = (participants: number) => [{ language: 'en', participants }];
    const plan = planCsv(
      [
        // 25 people: 14 answered themselves, 12 through a proxy (one did both): both ≥ 11, shown.
        group(25, 'Spring', en(25), [{ answerMode: 'proxy', participants: 12 }, { answerMode: 'self', participants: 14 }]),
        // 14 people, one of them (advanced ALS) answered through a proxy: blank on every row of the group,
        // not just the proxy rows; the group's language is judged on its own and still shown.
        group(14, 'Autumn', en(14), [{ answerMode: 'proxy', participants: 1 }, { answerMode: 'self', participants: 14 }]),
        // 11 people, all through a proxy: one mode, shown; its language (2 in Spanish) blanked on its own.
        group(11, 'Summer', [{ language: 'en', participants: 9 }, { language: 'es', participants: 2 }], [{ answerMode: 'proxy', participants: 11 }]),
      ],
      11,
    );
    expect([plan.keep(spring), plan.keep(autumn), plan.keep(summer)]).toEqual([true, true, true]);
    expect([plan.answerModeShown(spring), plan.answerModeShown(autumn), plan.answerModeShown(summer)]).toEqual([true, false, true]);
    expect([plan.languageShown(spring), plan.languageShown(autumn), plan.languageShown(summer)]).toEqual([true, true, false]);
    // At the threshold exactly: k shown, k − 1 blanked.
    const edge = planCsv(
      [
        group(22, 'Spring', en(22), [{ answerMode: 'proxy', participants: 11 }, { answerMode: 'self', participants: 11 }]),
        group(21, 'Autumn', en(21), [{ answerMode: 'proxy', participants: 10 }, { answerMode: 'self', participants: 11 }]),
      ],
      11,
    );
    expect([edge.answerModeShown(spring), edge.answerModeShown(autumn)]).toEqual([true, false]);
    // A withheld group shows nothing, answer mode included.
    expect(planCsv([group(11), group(3, 'Autumn', en(3), [{ answerMode: 'proxy', participants: 3 }])], 11).answerModeShown(autumn)).toBe(false);
  });

  it('shows a group’s answer mode beside its language only when every language × answer mode pair has at least the threshold of people', () => {
    const spring = { cohort: 'Spring', participantType: 'patient' as const };
    const autumn = { cohort: 'Autumn', participantType: 'patient' as const };
    const summer = { cohort: 'Summer', participantType: 'patient' as const };
    const modes = (proxy: number, self: number): CsvGroup['answerModes'] => [{ answerMode: 'proxy', participants: proxy }, { answerMode: 'self', participants: self }];
    const languages = (en: number, es: number) => [{ language: 'en', participants: en }, { language: 'es', participants: es }];
    const pairs = (enProxy: number, enSelf: number, esProxy: number, esSelf: number): CsvGroup['pairs'] => [
      { language: 'en', answerMode: 'proxy', participants: enProxy },
      { language: 'en', answerMode: 'self', participants: enSelf },
      { language: 'es', answerMode: 'proxy', participants: esProxy },
      { language: 'es', answerMode: 'self', participants: esSelf },
    ].filter((p) => p.participants > 0) as CsvGroup['pairs'];
    const plan = planCsv(
      [
        // 44 people, 11 in each pair: both columns shown.
        group(44, 'Spring', languages(22, 22), modes(22, 22), pairs(11, 11, 11, 11)),
        // 24 people: 12 in Spanish and 12 through a proxy, each column fine on its own, but only one of them
        // answered in Spanish through a proxy ("proxy, es" is a person): the answer mode goes, the language stays.
        group(24, 'Autumn', languages(12, 12), modes(12, 12), pairs(11, 1, 1, 11)),
        // 22 people: the Spanish speakers all answered themselves, the English ones all through a proxy. Only
        // two pairs are present, each of 11: shown (a pair nobody is in gives no one away).
        group(22, 'Summer', languages(11, 11), modes(11, 11), pairs(11, 0, 0, 11)),
      ],
      11,
    );
    expect([plan.languageShown(spring), plan.languageShown(autumn), plan.languageShown(summer)]).toEqual([true, true, true]);
    expect([plan.answerModeShown(spring), plan.answerModeShown(autumn), plan.answerModeShown(summer)]).toEqual([true, false, true]);
    // At the threshold exactly: a pair of k shows both, a pair of k − 1 blanks the answer mode.
    const edge = planCsv(
      [group(43, 'Spring', languages(22, 21), modes(22, 21), pairs(11, 11, 11, 11)), group(43, 'Autumn', languages(22, 21), modes(22, 21), pairs(11, 11, 11, 10))],
      11,
    );
    expect([edge.answerModeShown(spring), edge.answerModeShown(autumn)]).toEqual([true, false]);
    expect([edge.languageShown(spring), edge.languageShown(autumn)]).toEqual([true, true]);
    // A group whose language is blanked anyway is judged on its answer mode alone: the small pair is not shown.
    const blankLanguage = planCsv([group(24, 'Autumn', languages(23, 1), modes(12, 12), pairs(12, 11, 0, 1))], 11);
    expect([blankLanguage.languageShown(autumn), blankLanguage.answerModeShown(autumn)]).toEqual([false, true]);
  });

  it('refuses an export left with fewer participants than the threshold, explaining why', () => {
    expect(refusal(() => planCsv(groups.slice(1, 2), 11))).toBe('REPORTS.POPULATION_TOO_SMALL');
    expect(refusal(() => planCsv([], 11))).toBe('REPORTS.POPULATION_TOO_SMALL');
    expect(refusal(() => planCsv(groups, 30))).toBe('REPORTS.POPULATION_TOO_SMALL');
    expect(() => planCsv([], 11)).toThrow(/at least 11 participants/);
    // Below the threshold in every group, however many groups: still refused.
    expect(refusal(() => planCsv([group(10), group(10, 'Autumn'), group(10, 'Summer')], 11))).toBe('REPORTS.POPULATION_TOO_SMALL');
    for (const k of [2, 5, 11, 20]) {
      expect(refusal(() => planCsv([group(k - 1)], k))).toBe('REPORTS.POPULATION_TOO_SMALL');
      expect(refusal(() => planCsv([group(k)], k))).toBe('exported');
    }
  });

  it('is what the report service applies: a refused CSV streams nothing, an exported one only its groups', async () => {
    const lines = async (stream: AsyncIterable<unknown>) => {
      let text = '';
      for await (const chunk of stream) text += String(chunk);
      return text.trim().split('\r\n').slice(1).map((l) => l.split(','));
    };
    // largeCohort: 10 caregivers in two cohorts (no group of 11), and patients in groups of at least 11.
    const data = new InMemoryOutcomeData(mscProgram(), largeCohort());
    let streamed = 0;
    const port: OutcomeDataPort = {
      load: (f) => data.load(f),
      csvGroups: (f) => data.csvGroups(f),
      csvRows: async function* (f) {
        for await (const r of data.csvRows(f)) {
          streamed++;
          yield r;
        }
      },
    };
    const service = new OutcomeReportService(port, { minCellSize: 11 } as ReportsConfig);
    await expect(service.csv({ registrationId: 'c', program: 'p', participantType: 'caregiver' })).rejects.toMatchObject({ code: 'REPORTS.POPULATION_TOO_SMALL' });
    expect(streamed).toBe(0);
    const csv = await service.csv({ registrationId: 'c', program: 'p' });
    const kept = await lines(csv.stream);
    expect(kept.length).toBe(csv.rows);
    expect(new Set(kept.map((r) => r[1]))).toEqual(new Set(['patient']));
    expect(csv.withheldGroups).toBeGreaterThan(0);
    // The answer mode and language columns, as the gate allows them group by group: all patients (two of the
    // kept group's 14 answered through a proxy) blank both; self answers only show the answer mode.
    const columns = async (f: Pick<OutcomeFilters, 'answerMode'>) => {
      const rows = f.answerMode ? await lines((await service.csv({ registrationId: 'c', program: 'p', ...f })).stream) : kept;
      const shown: Record<string, string[]>[] = [];
      for (const g of (await data.csvGroups({ registrationId: 'c', program: 'p', ...f })).filter((x) => x.participants >= 11)) {
        const ofGroup = rows.filter((r) => r[2] === g.cohort && r[1] === g.participantType);
        const cells = (i: number, values: { participants: number }[], names: string[]) => {
          const seen = [...new Set(ofGroup.map((r) => r[i]))].sort();
          expect(seen).toEqual(values.every((v) => v.participants >= 11) ? names : ['']);
          return seen;
        };
        shown.push({
          answerMode: cells(7, g.answerModes, g.answerModes.map((m) => m.answerMode)),
          language: cells(8, g.languages, g.languages.map((l) => l.language)),
        });
      }
      return shown;
    };
    expect(await columns({})).toEqual([{ answerMode: [''], language: [''] }]);
    expect(await columns({ answerMode: 'self' })).toEqual([{ answerMode: ['self'], language: [''] }]);
  });
});

describe('a CSV export whose reader goes away', () => {
  it('ends the rows\' generator (its finally releases the cursor and the connection), not leave it waiting at a yield', async () => {
    const data = new InMemoryOutcomeData(mscProgram(), largeCohort());
    let released = false;
    const port: OutcomeDataPort = {
      load: (f) => data.load(f),
      csvGroups: (f) => data.csvGroups(f),
      // As SqlOutcomeData's: rows for as long as they are read, its connection given back in its finally.
      csvRows: async function* (f) {
        try {
          for (;;) for await (const r of data.csvRows(f)) yield r;
        } finally {
          released = true;
        }
      },
    };
    const csv = await new OutcomeReportService(port, { minCellSize: 11 } as ReportsConfig).csv({ registrationId: 'c', program: 'p' });
    // The controller's pipeline into a response whose client hangs up after the first bytes.
    const response = new Writable({ write: (_chunk, _enc, done) => response.destroy() && done() });
    await expect(pipeline(csv.stream, response)).rejects.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(true);
    expect(csv.rowsFailure?.()).toBeUndefined(); // the reader went away: not a failure of the rows (the audit says which)
  });

  it('tells a failure of the rows (a database error) from a reader that went away', async () => {
    const data = new InMemoryOutcomeData(mscProgram(), largeCohort());
    const failure = new Error('Query read timeout');
    const port: OutcomeDataPort = {
      load: (f) => data.load(f),
      csvGroups: (f) => data.csvGroups(f),
      csvRows: async function* (f) {
        let n = 0;
        for await (const r of data.csvRows(f)) {
          if (++n > 3) throw failure;
          yield r;
        }
      },
    };
    const csv = await new OutcomeReportService(port, { minCellSize: 11 } as ReportsConfig).csv({ registrationId: 'c', program: 'p' });
    await expect(pipeline(csv.stream, new Writable({ write: (_chunk, _enc, done) => done() }))).rejects.toThrow('Query read timeout');
    expect(csv.rowsFailure?.()).toBe(failure);
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
