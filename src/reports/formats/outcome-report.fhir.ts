// The report as a FHIR R4 MeasureReport (type summary) for the EHR's quality systems: one group per figure,
// coded by its JSON Pointer, with its populations (count, or numerator/denominator) and measureScore.
// Suppressed values are absent with a data-absent-reason of "masked"; values that cannot be computed are
// absent with "not-performed".
import type { Extension, MeasureReport, MeasureReportGroup, MeasureReportGroupPopulation, Quantity } from 'fhir/r4.js';
import type { OutcomeReport } from '../assembly/outcome-report.types.js';
import type { Figure } from '../figures.js';
import { isSuppressed, type Cell } from '../statistics/index.js';

const BASE = 'https://als-wellness.example.org/fhir';
export const OUTCOME_MEASURE_URL = `${BASE}/Measure/als-wellness-outcomes`;
export const FIGURE_CODE_SYSTEM = `${BASE}/CodeSystem/outcome-report-figure`;
export const CI95_EXTENSION = `${BASE}/StructureDefinition/confidence-interval-95`;
const DATA_ABSENT = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const V3_OBSERVATION_VALUE = 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue';
const POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';

const absent = (code: 'masked' | 'not-performed'): Extension[] => [{ url: DATA_ABSENT, valueCode: code }];
// null is "not computed" (typeof null is 'object', so test it before isSuppressed).
const absentOf = (v: unknown): Extension[] => absent(v !== null && v !== undefined && isSuppressed(v as Cell) ? 'masked' : 'not-performed');

function population(code: string, count: Cell | null): MeasureReportGroupPopulation {
  const coded = { coding: [{ system: POPULATION, code }] };
  return typeof count === 'number' ? { code: coded, count } : { code: coded, _count: { extension: absentOf(count) } } as MeasureReportGroupPopulation;
}

function score(f: Figure): Quantity {
  if (typeof f.value !== 'number') return { extension: absentOf(f.value) };
  return f.kind === 'proportion' ? { value: f.value, unit: '1', system: 'http://unitsofmeasure.org', code: '1' } : { value: f.value };
}

function group(f: Figure): MeasureReportGroup {
  const g: MeasureReportGroup = { code: { coding: [{ system: FIGURE_CODE_SYSTEM, code: f.pointer, display: f.label }], text: `${f.section}: ${f.label}` } };
  if (f.kind === 'count') {
    g.population = [population('initial-population', f.value as Cell)];
    return g;
  }
  g.population = [population(f.kind === 'proportion' ? 'denominator' : 'initial-population', f.n)];
  g.measureScore = score(f);
  if (Array.isArray(f.ci95) && typeof f.value === 'number') {
    const [low, high] = f.ci95 as readonly [number, number];
    g.extension = [{ url: CI95_EXTENSION, valueRange: { low: { value: low }, high: { value: high } } }];
  }
  return g;
}

/** A summary MeasureReport of the figures; `period` is the report's date filter (end: the day it was made). */
export function measureReportOf(report: OutcomeReport, figures: readonly Figure[]): MeasureReport {
  const end = report.filters.to ?? report.generatedAt.slice(0, 10);
  return {
    resourceType: 'MeasureReport',
    // Security labels: an aggregate, with small cells masked.
    meta: { security: [{ system: V3_OBSERVATION_VALUE, code: 'AGGRED', display: 'aggregated' }, { system: V3_OBSERVATION_VALUE, code: 'MASKED', display: 'masked' }] },
    status: 'complete',
    type: 'summary',
    measure: OUTCOME_MEASURE_URL,
    date: report.generatedAt,
    period: { ...(report.filters.from ? { start: report.filters.from } : {}), end },
    group: figures.map(group),
  };
}
