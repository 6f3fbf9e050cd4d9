// Synthetic participants for report tests: a person's journey, attendance and answers, described the way
// a coordinator would tell it. The in-memory port aggregates them exactly as the SQL adapter must.
import type { ProgramFacts, ScoreMeta, TimepointCode } from '../../../src/reports/outcome-data.port.js';
import type { AnswerMode, ParticipantType } from '../../../src/reports/outcome-filters.js';
import { analysedScores } from '../../../src/reports/score-catalogue.js';

export type JourneyOutcome = 'awaiting' | 'declined' | 'inProgress' | 'completed' | 'withdrawn';

export interface SyntheticResponse {
  timepoint: TimepointCode;
  instrumentUrl: string;
  /** Score linkId → value. */
  scores?: Record<string, number>;
  /** Item linkId → rating (satisfaction). */
  items?: Record<string, number>;
  mode?: AnswerMode;
  /** The language the response was answered in (ISO 639); default `en`. */
  language?: string;
}

export interface SyntheticParticipant {
  id: string;
  type: ParticipantType;
  cohort: string;
  referredOn: string;
  outcome: JourneyOutcome;
  screened?: boolean;
  eligible?: boolean;
  declineReason?: string;
  withdrawalReason?: string;
  attended?: number;
  /** Timepoints due for this participant; default baseline, plus post once completed. */
  due?: TimepointCode[];
  responses?: SyntheticResponse[];
  alerts?: { raised: number; followedUp: number };
}

export const Q = (name: string) => `https://als-wellness.example.org/fhir/Questionnaire/${name}`;
export const OUTCOME_INSTRUMENTS = [Q('phq-9'), Q('gad-7'), Q('who-5'), Q('scs-sf')];

export const MSC_TIMEPOINTS: { code: TimepointCode; instruments: string[] }[] = [
  { code: 'baseline', instruments: OUTCOME_INSTRUMENTS },
  { code: 'post', instruments: [...OUTCOME_INSTRUMENTS, Q('program-satisfaction')] },
];

export interface SyntheticProgram {
  facts: ProgramFacts;
  timepoints: { code: TimepointCode; instruments: string[] }[];
  scores: ScoreMeta[];
}

export function mscProgram(timepoints = MSC_TIMEPOINTS): SyntheticProgram {
  return {
    facts: { slug: 'mindful-self-compassion-als', title: 'Mindful Self-Compassion for ALS', version: '1.0.0', sessionCount: 8, minAttended: 6 },
    timepoints,
    scores: analysedScores(timepoints),
  };
}

const isEnrolled = (p: SyntheticParticipant) => ['inProgress', 'completed', 'withdrawn'].includes(p.outcome);

/** Stage flags with the same nesting rules as the SQL adapter (completing implies having started). */
export function stagesOf(p: SyntheticParticipant) {
  const enrolled = isEnrolled(p);
  const eligible = enrolled || (p.eligible ?? false);
  const screened = eligible || (p.screened ?? false);
  const started = enrolled && ((p.attended ?? 0) > 0 || p.outcome === 'completed');
  return { referred: true, screened, eligible, enrolled, started, completed: p.outcome === 'completed' };
}

export function dueOf(p: SyntheticParticipant): TimepointCode[] {
  if (!isEnrolled(p)) return [];
  return p.due ?? (p.outcome === 'completed' ? ['baseline', 'post'] : ['baseline']);
}

/** `n` people with the same story, ids `${prefix}-1…n`. */
export function many(n: number, prefix: string, make: (i: number) => Omit<SyntheticParticipant, 'id'>): SyntheticParticipant[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i + 1}`, ...make(i) }));
}
