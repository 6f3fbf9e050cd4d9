import type { Questionnaire } from 'fhir/r4.js';
import type { InstrumentDefinition, SafetyPriority, ScoreDefinition } from '../engine/instrument.types.js';
import { canonicalOf } from '../engine/canonical.js';
import { BUILT_IN_INSTRUMENTS } from '../engine/instrument-library.js';

/** One instrument version as listed: enough for a form picker, a coordinator and the reports. */
export interface QuestionnaireSummary {
  canonical: string;
  url: string;
  version: string;
  /** Short name for `GET /api/questionnaires/:id`: the Questionnaire id, else the last segment of its url. */
  slug: string;
  name?: string;
  title?: string;
  status: Questionnaire['status'];
  origin: 'built-in' | 'imported';
  subjectType?: string[];
  /** Score metadata (code, range, direction, MCID, bands, report note): what reports label results with. */
  scores: ScoreDefinition[];
  safetyRules: { id: string; severity: SafetyPriority }[];
}

const BUILT_IN = new Set(BUILT_IN_INSTRUMENTS.map((d) => canonicalOf(d.questionnaire)));

export function isBuiltIn(canonical: string): boolean {
  return BUILT_IN.has(canonical);
}

export function slugOf(q: Questionnaire): string {
  return q.id ?? (q.url ?? '').split('/').pop() ?? '';
}

export function summaryOf(d: InstrumentDefinition): QuestionnaireSummary {
  const q = d.questionnaire;
  const canonical = canonicalOf(q);
  return {
    canonical,
    url: q.url as string,
    version: q.version as string,
    slug: slugOf(q),
    ...(q.name ? { name: q.name } : {}),
    ...(q.title ? { title: q.title } : {}),
    status: q.status,
    origin: isBuiltIn(canonical) ? 'built-in' : 'imported',
    ...(q.subjectType ? { subjectType: q.subjectType } : {}),
    scores: d.scores,
    safetyRules: d.safetyRules.map((r) => ({ id: r.id, severity: r.severity })),
  };
}
