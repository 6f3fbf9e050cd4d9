// What a report covers. The query schema turns `?program=&version=…` into OutcomeFilters; the clinic
// (EHR registration) always comes from the signed-in session, never from the query.
import { z } from 'zod';

export const PARTICIPANT_TYPES = ['patient', 'caregiver'] as const;
export type ParticipantType = (typeof PARTICIPANT_TYPES)[number];

/** self: the participant answered; proxy: someone else typed the answers for them (author ≠ source). */
export const ANSWER_MODES = ['self', 'proxy'] as const;
export type AnswerMode = (typeof ANSWER_MODES)[number];

export const REPORT_FORMATS = ['json', 'csv', 'measure-report', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface OutcomeFilters {
  /** The clinic: the EHR registration whose data the report covers. */
  registrationId: string;
  /** Program slug (the last part of its PlanDefinition canonical). */
  program: string;
  /** Program version; all versions when absent. */
  version?: string;
  /** Cohort id; all cohorts when absent. */
  cohort?: string;
  /** Inclusive calendar dates (YYYY-MM-DD) of referral: who enters the report. */
  from?: string;
  to?: string;
  participantType?: ParticipantType;
  /** Restricts questionnaire figures to answers given this way; other figures are unaffected. */
  answerMode?: AnswerMode;
  /**
   * Restricts questionnaire figures to responses answered in this language (ISO 639 code as the response
   * records it, e.g. `es`); other figures are unaffected.
   */
  language?: string;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-03-31')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real date');

/** `GET /api/reports/outcomes` query (and the CLI's options). Unknown parameters are refused. */
export const outcomeQuerySchema = z
  .object({
    program: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a program slug').meta({ description: 'program slug', example: 'mindful-self-compassion-als' }),
    version: z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/, 'must be a version such as 1.2.0').optional().meta({ example: '1.0.0' }),
    cohort: z.string().uuid('must be a cohort id').optional().meta({ description: 'cohort id', example: '8d6e4a20-1b3c-4f5e-8a7b-2c9d0e1f3a45' }),
    from: isoDate.optional().meta({ description: 'first referral date, YYYY-MM-DD', example: '2026-01-01' }),
    to: isoDate.optional().meta({ description: 'last referral date, YYYY-MM-DD', example: '2026-06-30' }),
    participantType: z.enum(PARTICIPANT_TYPES).optional(),
    answerMode: z.enum(ANSWER_MODES).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'must be a language code such as es')
      .optional()
      .meta({ description: 'only questionnaire responses answered in this language (ISO 639 code)', example: 'es' }),
    format: z.enum(REPORT_FORMATS).default('json'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

export type OutcomeQuery = z.infer<typeof outcomeQuerySchema>;

/** The filters of a parsed query for one clinic. */
export function filtersOf(query: OutcomeQuery, registrationId: string): OutcomeFilters {
  const { format: _format, ...rest } = query;
  const filters: OutcomeFilters = { registrationId, program: rest.program };
  for (const key of ['version', 'cohort', 'from', 'to', 'participantType', 'answerMode', 'language'] as const) {
    if (rest[key] !== undefined) Object.assign(filters, { [key]: rest[key] });
  }
  return filters;
}

/** Filters as recorded in the audit log and printed in reports: no clinic id, nothing about a person. */
export function describeFilters(f: OutcomeFilters): Record<string, string> {
  const { registrationId: _r, ...rest } = f;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
