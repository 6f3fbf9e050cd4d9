import type { PlanDefinition, PlanDefinitionAction, Quantity } from 'fhir/r4.js';
import { EXTENSION, planDefinitionUrl, programCoding, UCUM } from '../shared/program-codes.js';
import type { Activity, CompletionRule, EligibilityItem, ProgramKind, Timepoint } from './program-definition.js';

/** A program version as the mapper needs it (a ProgramVersion row plus its program's slug and kind). */
export interface ProgramVersionFacts {
  slug: string;
  kind: ProgramKind;
  version: string;
  title: string;
  description: string;
  sessionCount: number;
  cadenceDays: number;
  sessionMinutes: number;
  capacity: number;
  audience: readonly ('patient' | 'caregiver')[];
  activities: readonly Activity[];
  eligibility: readonly EligibilityItem[];
  completionRule: CompletionRule;
  timepoints: readonly Timepoint[];
  publishedAt: Date;
  /** Only the latest version is `active`; earlier ones are `retired` (enrolments may still point at them). */
  current: boolean;
}

// `+ 0` normalises the -0 that negating a 0-day bound gives.
const days = (value: number): Quantity => ({ value: value + 0, unit: 'days', system: UCUM, code: 'd' });

/** `mindful-self-compassion-als` → `MindfulSelfCompassionAls` (PlanDefinition.name is machine-friendly). */
export function machineName(slug: string): string {
  return slug.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

function sessionsAction(v: ProgramVersionFacts): PlanDefinitionAction {
  const group = v.kind === 'group-course';
  return {
    id: 'sessions',
    title: group ? `${v.sessionCount} group sessions` : `${v.sessionCount} individual sessions`,
    code: [{ coding: [programCoding(group ? 'group-session' : 'individual-session', group ? 'Group session' : 'Individual session')] }],
    timingTiming: { repeat: { count: v.sessionCount, period: v.cadenceDays, periodUnit: 'd', duration: v.sessionMinutes, durationUnit: 'min' } },
    participant: [
      ...v.audience.map((a) => ({ type: a === 'patient' ? ('patient' as const) : ('related-person' as const) })),
      { type: 'practitioner' as const, role: { text: group ? 'Facilitator' : 'Therapist' } },
    ],
    ...(v.activities.length ? { action: v.activities.map((a) => ({ id: a.code, title: a.title, ...(a.description ? { description: a.description } : {}) })) } : {}),
  };
}

function eligibilityAction(items: readonly EligibilityItem[]): PlanDefinitionAction {
  return {
    id: 'eligibility-screening',
    title: 'Eligibility screening and consent',
    code: [{ coding: [programCoding('eligibility-screening', 'Eligibility screening')] }],
    action: items.map((i) => ({ id: `eligibility-${i.id}`, title: i.text, code: [{ coding: [programCoding('eligibility-criterion', 'Eligibility criterion')] }] })),
  };
}

/** A timepoint's window, relative to the start of the sessions: `before-start` when it ends by then. */
function timepointAction(t: Timepoint): PlanDefinitionAction {
  const before = t.dueToDays <= 0;
  return {
    id: `timepoint-${t.code}`,
    title: `${t.code[0].toUpperCase()}${t.code.slice(1)} questionnaires`,
    code: [{ coding: [programCoding(`timepoint-${t.code}`, `Questionnaire timepoint: ${t.code}`)] }],
    relatedAction: [
      {
        actionId: 'sessions',
        relationship: before ? 'before-start' : 'after-start',
        offsetRange: before ? { low: days(-t.dueToDays), high: days(-t.dueFromDays) } : { low: days(t.dueFromDays), high: days(t.dueToDays) },
      },
    ],
    action: t.instruments.map((canonical, i) => ({ id: `timepoint-${t.code}-${i + 1}`, definitionCanonical: canonical })),
  };
}

/** A program version as a FHIR R4 PlanDefinition (canonical URL + version). What R4 has no element for is an extension. */
export function planDefinitionOf(v: ProgramVersionFacts): PlanDefinition {
  const rule = v.completionRule;
  return {
    resourceType: 'PlanDefinition',
    url: planDefinitionUrl(v.slug),
    version: v.version,
    name: machineName(v.slug),
    title: v.title,
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/plan-definition-type', code: 'clinical-protocol', display: 'Clinical Protocol' }] },
    status: v.current ? 'active' : 'retired',
    date: v.publishedAt.toISOString(),
    publisher: 'ALS wellness care module',
    description: v.description,
    extension: [
      { url: EXTENSION.kind, valueCode: v.kind },
      { url: EXTENSION.capacity, valuePositiveInt: v.capacity },
      {
        url: EXTENSION.completionRule,
        extension: [
          { url: 'minAttended', valueUnsignedInt: rule.minAttended },
          { url: 'requirePostQuestionnaires', valueBoolean: rule.requirePostQuestionnaires },
        ],
      },
    ],
    action: [
      ...(v.eligibility.length ? [eligibilityAction(v.eligibility)] : []),
      sessionsAction(v),
      ...v.timepoints.map(timepointAction),
    ],
  };
}
