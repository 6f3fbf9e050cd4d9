import { r4SchemaErrors } from '../../../test/support/fhir-r4-schema.js';
import { handCohort, largeCohort, PHQ9_ONLY } from '../../../test/support/reports/cohorts.js';
import { InMemoryOutcomeData } from '../../../test/support/reports/in-memory-outcome-data.js';
import { mscProgram } from '../../../test/support/reports/synthetic-cohort.js';
import { assembleOutcomeReport } from '../assembly/outcome-report.js';
import { figuresOf, resolvePointer } from '../figures.js';
import { measureReportOf, OUTCOME_MEASURE_URL } from './outcome-report.fhir.js';

async function measureReport(threshold: number, people = handCohort(), program = PHQ9_ONLY) {
  const data = await new InMemoryOutcomeData(program, people).load({ registrationId: 'c', program: 'p' });
  const { report } = assembleOutcomeReport(data, { threshold, filters: { program: 'p', from: '2026-01-01', to: '2026-06-30' }, generatedAt: new Date('2026-07-01T08:00:00Z') });
  return { report, mr: measureReportOf(report, figuresOf(report)) };
}

describe('the outcome MeasureReport', () => {
  it('is a complete summary of our Measure over the filtered period, valid against the R4 schema', async () => {
    const { mr } = await measureReport(1);
    expect(r4SchemaErrors(mr)).toEqual([]);
    expect(mr).toMatchObject({ resourceType: 'MeasureReport', status: 'complete', type: 'summary', measure: OUTCOME_MEASURE_URL, period: { start: '2026-01-01', end: '2026-06-30' } });
    expect(mr.group!.length).toBeGreaterThan(40);
  });

  it('has a group per figure, coded by its JSON pointer, with its n and score', async () => {
    const { mr, report } = await measureReport(1);
    const byCode = new Map(mr.group!.map((g) => [g.code!.coding![0].code!, g]));
    const change = byCode.get('/outcomes/0/paired/change/mean')!;
    expect(change.measureScore!.value).toBeCloseTo(-3.666667, 6);
    expect(change.population![0].count).toBe(6);
    expect(change.extension![0].valueRange).toEqual({ low: { value: expect.closeTo(-7.574552, 6) }, high: { value: expect.closeTo(0.241219, 6) } });
    const retention = byCode.get('/retention/estimate')!;
    expect(retention.population![0]).toMatchObject({ code: { coding: [{ code: 'denominator' }] }, count: 9 });
    expect(retention.measureScore).toMatchObject({ value: resolvePointer(report, '/retention/estimate'), unit: '1' });
    expect(byCode.get('/funnel/stages/referred/n')!.population![0].count).toBe(12);
  });

  it('marks suppressed figures as masked and leaves their values out, still schema-valid', async () => {
    const { mr } = await measureReport(11, largeCohort(), mscProgram());
    expect(r4SchemaErrors(mr)).toEqual([]);
    const withdrawn = mr.group!.find((g) => g.code!.coding![0].code === '/funnel/withdrawn')!;
    expect(withdrawn.population![0].count).toBeUndefined();
    expect(JSON.stringify(withdrawn)).toContain('"valueCode":"masked"');
    const json = JSON.stringify(mr);
    // No small count leaks into any population count.
    const counts = [...json.matchAll(/"count":(\d+)/g)].map((m) => Number(m[1]));
    expect(counts.filter((c) => c > 0 && c < 11)).toEqual([]);
  });
});
