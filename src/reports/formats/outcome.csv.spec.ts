import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { handCohort, PHQ9_ONLY } from '../../../test/support/reports/cohorts.js';
import { InMemoryOutcomeData } from '../../../test/support/reports/in-memory-outcome-data.js';
import type { CsvRow } from '../outcome-data.port.js';
import { derivePseudonymKey, Pseudonymizer } from '../pseudonym.js';
import { csvRecords, csvStringifier, neutraliseFormula } from './outcome.csv.js';

async function toCsv(rows: CsvRow[]): Promise<string> {
  const out = csvStringifier();
  const done = text(out);
  await pipeline(Readable.from(csvRecords((async function* () { yield* rows; })(), { keep: () => true, languageShown: (r) => r.cohort !== 'Blank', answerModeShown: (r) => r.cohort !== 'No mode' })), out);
  return done;
}

const row = (over: Partial<CsvRow> = {}): CsvRow => ({
  participant: 'P-0123', participantType: 'patient', cohort: 'Spring 2026', timepoint: 'baseline',
  instrument: 'https://als-wellness.example.org/fhir/Questionnaire/phq-9', score: 'phq9-total', value: 12, answerMode: 'self', language: 'en', ...over,
});

describe('the outcome CSV', () => {
  it('writes RFC 4180: a header, CRLF line ends, quotes around commas, quotes and line breaks', async () => {
    const csv = await toCsv([row(), row({ cohort: 'Tuesday, "evening"\ngroup', value: 2.75 })]);
    expect(csv).toBe(
      'participant,participant_type,cohort,timepoint,instrument,score,value,answer_mode,language\r\n' +
        'P-0123,patient,Spring 2026,baseline,https://als-wellness.example.org/fhir/Questionnaire/phq-9,phq9-total,12,self,en\r\n' +
        'P-0123,patient,"Tuesday, ""evening""\ngroup",baseline,https://als-wellness.example.org/fhir/Questionnaire/phq-9,phq9-total,2.75,self,en\r\n',
    );
  });

  it('carries the response’s language, and an empty cell where the gate blanks it', async () => {
    const csv = await toCsv([row({ language: 'es' }), row({ cohort: 'Blank', language: 'es' })]);
    expect(csv.split('\r\n').slice(1, 3).map((l) => l.split(',').slice(2).join(','))).toEqual([
      'Spring 2026,baseline,https://als-wellness.example.org/fhir/Questionnaire/phq-9,phq9-total,12,self,es',
      'Blank,baseline,https://als-wellness.example.org/fhir/Questionnaire/phq-9,phq9-total,12,self,',
    ]);
  });

  it('carries the answer mode, and an empty cell where the gate blanks it, apart from the language', async () => {
    const csv = await toCsv([row({ answerMode: 'proxy' }), row({ cohort: 'No mode', answerMode: 'proxy', language: 'es' }), row({ cohort: 'Blank', answerMode: 'proxy' })]);
    expect(csv.split('\r\n').slice(1, 4).map((l) => l.split(',').slice(6).join(','))).toEqual(['12,proxy,en', '12,,es', '12,proxy,']);
  });

  it('neutralises text a spreadsheet would run as a formula, and leaves numbers alone', async () => {
    expect(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', 'safe'].map(neutraliseFormula)).toEqual(["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", 'safe']);
    const csv = await toCsv([row({ cohort: '=HYPERLINK("http://evil.example","click")', value: -3 })]);
    expect(csv.split('\r\n')[1]).toBe(`P-0123,patient,"'=HYPERLINK(""http://evil.example"",""click"")",baseline,https://als-wellness.example.org/fhir/Questionnaire/phq-9,phq9-total,-3,self,en`);
  });

  it('carries pseudonyms that are stable across exports, differ per participant and never show the internal id', async () => {
    const key = derivePseudonymKey(Buffer.alloc(32, 1));
    const first = new InMemoryOutcomeData(PHQ9_ONLY, handCohort(), new Pseudonymizer(key));
    const again = new InMemoryOutcomeData(PHQ9_ONLY, handCohort(), new Pseudonymizer(derivePseudonymKey(Buffer.alloc(32, 1))));
    const other = new InMemoryOutcomeData(PHQ9_ONLY, handCohort(), new Pseudonymizer(derivePseudonymKey(Buffer.alloc(32, 2))));
    const ids = async (d: InMemoryOutcomeData) => {
      const list: string[] = [];
      for await (const r of d.csvRows({ registrationId: 'c', program: 'p' })) list.push(r.participant);
      return list;
    };
    const [a, b, c] = await Promise.all([ids(first), ids(again), ids(other)]);
    expect(a).toEqual(b);
    expect(a.every((p) => /^P-[0-9a-f]{24}$/.test(p))).toBe(true);
    expect(new Set(a).size).toBe(9);
    const internal = handCohort().map((p) => p.id);
    expect(a.some((p) => internal.includes(p) || internal.includes(p.slice(2)))).toBe(false);
    expect(c.some((p) => a.includes(p))).toBe(false);
    const rows: CsvRow[] = [];
    for await (const r of first.csvRows({ registrationId: 'c', program: 'p' })) rows.push(r);
    expect(await toCsv(rows)).not.toMatch(/(^|,)p[1-9](,|$)/m);
  });

  it('derives the pseudonym key with HKDF, apart from the encryption key', () => {
    const enc = Buffer.alloc(32, 9);
    const key = derivePseudonymKey(enc);
    expect(key).toHaveLength(32);
    expect(key.equals(enc)).toBe(false);
    expect(derivePseudonymKey(enc).equals(key)).toBe(true);
    expect(() => derivePseudonymKey(Buffer.alloc(16))).toThrow(RangeError);
  });
});
