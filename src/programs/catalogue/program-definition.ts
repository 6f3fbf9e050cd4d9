import { z } from 'zod';
import { text } from '../shared/schemas.js';
import { FHIR_ID_SOURCE } from '../../fhir/ids.js';

export const PROGRAM_KINDS = ['group-course', 'individual'] as const;
export type ProgramKind = (typeof PROGRAM_KINDS)[number];

export const TIMEPOINT_CODES = ['baseline', 'mid', 'post', 'follow-up'] as const;

const slugLike = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes');
const semver = z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/, 'must be a version such as 1.2.0');
const questionnaireCanonical = z
  .string()
  .max(300)
  .regex(new RegExp(`^https?://[^\\s|]+/Questionnaire/${FHIR_ID_SOURCE}(\\|[A-Za-z0-9.-]{1,20})?$`), 'must be a Questionnaire canonical URL');

export const eligibilityItemSchema = z.object({ id: slugLike, text: text(500) }).strict();
export const completionRuleSchema = z
  .object({ minAttended: z.number().int().min(0).max(104), requirePostQuestionnaires: z.boolean() })
  .strict();
/** Due window in days relative to the cohort's (or the enrolment's) start; negative = before it. */
export const timepointSchema = z
  .object({
    code: z.enum(TIMEPOINT_CODES),
    instruments: z.array(questionnaireCanonical).min(1).max(10),
    dueFromDays: z.number().int().min(-365).max(730),
    dueToDays: z.number().int().min(-365).max(730),
  })
  .strict()
  .refine((t) => t.dueFromDays <= t.dueToDays, { message: 'dueFromDays must not be after dueToDays', path: ['dueToDays'] });
export const activitySchema = z.object({ code: slugLike, title: text(200), description: text(1000).optional() }).strict();

const distinct = (keys: string[]) => new Set(keys).size === keys.length;

const versionFields = z
  .object({
    version: semver,
    title: text(200),
    description: text(4000),
    sessionCount: z.number().int().min(1).max(104),
    cadenceDays: z.number().int().min(1).max(365),
    sessionMinutes: z.number().int().min(5).max(480),
    capacity: z.number().int().min(1).max(500),
    audience: z.array(z.enum(['patient', 'caregiver'])).min(1).max(2),
    activities: z.array(activitySchema).max(30).default([]),
    eligibility: z.array(eligibilityItemSchema).max(30).refine((l) => distinct(l.map((i) => i.id)), 'eligibility ids must be unique'),
    completionRule: completionRuleSchema,
    timepoints: z.array(timepointSchema).max(10).refine((l) => distinct(l.map((t) => t.code)), 'timepoint codes must be unique'),
  })
  .strict();

const ruleFitsSessions = (v: { sessionCount: number; completionRule: { minAttended: number } }) => v.completionRule.minAttended <= v.sessionCount;
const ruleFitsSessionsError = { message: 'minAttended cannot exceed sessionCount', path: ['completionRule', 'minAttended'] };

/** Synthetic: a documentation example (checked against these schemas by test/openapi.e2e-spec.ts). */
const versionExample = {
  version: '1.1.0',
  title: 'Breathing-paced relaxation: 4 individual sessions',
  description: 'Individual relaxation sessions paced to breathing support, online or at home.',
  sessionCount: 4,
  cadenceDays: 14,
  sessionMinutes: 45,
  capacity: 1,
  audience: ['patient'],
  activities: [{ code: 'paced-breathing', title: 'Paced breathing' }],
  eligibility: [{ id: 'als-diagnosis', text: 'Lives with ALS (MND) confirmed by the treating neurologist' }],
  completionRule: { minAttended: 3, requirePostQuestionnaires: false },
  timepoints: [
    { code: 'baseline', instruments: ['https://als-wellness.example.org/fhir/Questionnaire/who-5'], dueFromDays: -14, dueToDays: 0 },
    { code: 'post', instruments: ['https://als-wellness.example.org/fhir/Questionnaire/who-5'], dueFromDays: 42, dueToDays: 56 },
  ],
};

/** One published version of a program: everything a cohort and an enrolment keep once they start. */
export const versionInputSchema = versionFields.refine(ruleFitsSessions, ruleFitsSessionsError).meta({ example: versionExample });

/** A new program: its slug (the last part of its canonical URL), its kind, and its first version. */
export const programInputSchema = versionFields
  .extend({ slug: slugLike, kind: z.enum(PROGRAM_KINDS) })
  .strict()
  .refine(ruleFitsSessions, ruleFitsSessionsError)
  .meta({ example: { slug: 'breathing-relaxation', kind: 'individual', ...versionExample, version: '1.0.0' } });

export type VersionInput = z.infer<typeof versionInputSchema>;
export type ProgramInput = z.infer<typeof programInputSchema>;
export type EligibilityItem = z.infer<typeof eligibilityItemSchema>;
export type CompletionRule = z.infer<typeof completionRuleSchema>;
export type Timepoint = z.infer<typeof timepointSchema>;
export type Activity = z.infer<typeof activitySchema>;

/** `1.10.0` > `1.9.3`: numeric comparison, part by part. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}
