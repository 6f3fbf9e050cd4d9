import type { ProgramVersionFacts } from './plan-definition.fhir.js';
import type { ProgramVersion } from './program-version.entity.js';
import type { Program } from './program.entity.js';
import { versionedCanonical } from '../shared/program-codes.js';

/** A program version as the API shows it (our JSON; `?format=fhir` gives the PlanDefinition). */
export function versionView(p: Program, v: ProgramVersion) {
  return {
    id: v.id,
    version: v.version,
    canonical: versionedCanonical(p.slug, v.version),
    title: v.title,
    description: v.description,
    sessionCount: v.sessionCount,
    cadenceDays: v.cadenceDays,
    sessionMinutes: v.sessionMinutes,
    capacity: v.capacity,
    audience: v.audience,
    activities: v.activities,
    eligibility: v.eligibility,
    completionRule: v.completionRule,
    timepoints: v.timepoints,
    publishedAt: v.publishedAt,
  };
}

export function programView(p: Program, current: ProgramVersion, all: ProgramVersion[]) {
  return { id: p.id, slug: p.slug, kind: p.kind, current: versionView(p, current), versions: all.map((v) => v.version) };
}

export function versionFacts(p: Program, v: ProgramVersion, current: boolean): ProgramVersionFacts {
  return { ...v, slug: p.slug, kind: p.kind, current };
}
