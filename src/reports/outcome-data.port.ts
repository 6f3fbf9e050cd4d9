// What the outcome report needs from the database, already aggregated and filtered. An abstract class so
// it doubles as the Nest injection token; the SQL adapter implements it, tests use an in-memory one.
// Contract (the assembly checks it and refuses inconsistent data, since suppression relies on it):
//   referred = enrolled + declined + awaiting;   enrolled = completed + withdrawn + inProgress;
//   Σ declineReasons = declined;  Σ withdrawalReasons = withdrawn;  Σ cohorts = enrolled / completed;
//   Σ attendance participants = enrolled;  per score: pairs + missingBaseline + missingPost + withdrawn = enrolled.
import type { AnswerMode, OutcomeFilters, ParticipantType } from './outcome-filters.js';

export type TimepointCode = 'baseline' | 'mid' | 'post' | 'follow-up';

export interface ProgramFacts {
  slug: string;
  title: string;
  /** The version filtered on, or the current version whose rule applies when none was. */
  version: string;
  sessionCount: number;
  /** Sessions a participant must attend to have received the program. */
  minAttended: number;
}

/** Counts of people at each stage (cumulative: everyone enrolled was also referred, screened, eligible). */
export interface FunnelCounts {
  referred: number;
  screened: number;
  eligible: number;
  enrolled: number;
  /** Attended at least one session. */
  started: number;
  completed: number;
  /** Ended before enrolment: turned down at any step before it. */
  declined: number;
  /** Referred, not yet enrolled or declined. */
  awaiting: number;
  /** Left after enrolment. */
  withdrawn: number;
  /** Enrolled, neither completed nor withdrawn yet. */
  inProgress: number;
}

/** A coded reason (never free text, which could name a person). */
export interface ReasonCount {
  code: string;
  display: string;
  count: number;
}

export interface CohortCounts {
  /** The cohort's name as the coordinators gave it, or 'No cohort' for individual programs. */
  label: string;
  enrolled: number;
  completed: number;
}

export interface ScoreMeta {
  /** Questionnaire canonical URL (without version) and its title. */
  instrumentUrl: string;
  instrumentTitle: string;
  linkId: string;
  title: string;
  unit: string;
  min: number;
  max: number;
  higherIsBetter: boolean;
  mcid?: number;
  /** Lowest first; a score belongs to the last band whose min it reaches. */
  bands: { label: string; min: number }[];
  /** Shown beside the results (e.g. the ALS confounding of PHQ-9 somatic items). */
  note?: string;
}

/**
 * One score at baseline and post; values are the latest answer per timepoint. A pair names no participant: the
 * report shows none, so none is carried (hashing a pseudonym for each pair cost about 60–85 ms of a report over
 * 1 M responses, for a field nothing read).
 */
export interface ScoreSeries {
  meta: ScoreMeta;
  pairs: { before: number; after: number }[];
  /** Baseline values of those without a post value (missingPost + withdrawn of them). */
  baselineOnly: number[];
  /** Post values of those without a baseline value (some of missingBaseline). */
  postOnly: number[];
  /**
   * Enrolled participants left out of the paired figures, by the first reason that applies: no baseline
   * value; else no post value and withdrew; else no post value (yet).
   */
  missingBaseline: number;
  withdrawn: number;
  missingPost: number;
  /**
   * The language each baseline and post value was answered in (issue 15): per language code (sorted), the
   * people whose value at that timepoint came from a response in it. Σ baseline = pairs + baselineOnly,
   * Σ post = pairs + postOnly.
   */
  languages: LanguageCount[];
}

/** People whose baseline (post) value of a score was answered in this language. */
export interface LanguageCount {
  code: string;
  baseline: number;
  post: number;
}

export interface SatisfactionItem {
  linkId: string;
  text: string;
  /** Ratings 1 (worst) … 5 (best) and how many participants gave each (latest answer each). */
  counts: { rating: number; count: number }[];
}

export interface OutcomeData {
  program: ProgramFacts;
  funnel: FunnelCounts;
  declineReasons: ReasonCount[];
  withdrawalReasons: ReasonCount[];
  cohorts: CohortCounts[];
  /** Sessions attended → how many enrolled participants attended that many. */
  attendance: { sessions: number; participants: number }[];
  /** Per timepoint: participants with forms due by now (≤ enrolled) and who completed them all (any answer mode). */
  timepoints: { code: TimepointCode; due: number; completed: number }[];
  scores: ScoreSeries[];
  satisfaction: SatisfactionItem[];
  safety: { raised: number; followedUp: number };
}

/** One CSV row: one participant × timepoint × score. No names, MRNs, FHIR ids or dates. */
export interface CsvRow {
  participant: string;
  participantType: ParticipantType;
  cohort: string;
  timepoint: TimepointCode;
  instrument: string;
  score: string;
  value: number;
  answerMode: AnswerMode;
  /** The language the value's response was answered in (its primary subtag: `es`, `en`). */
  language: string;
}

/** Who a CSV would cover, by (cohort, participant type): the groups its rows can be told apart by. */
export interface CsvGroup {
  cohort: string;
  participantType: ParticipantType;
  participants: number;
  rows: number;
  /** People with a row in each language (one who answered in two languages counts in both). */
  languages: { language: string; participants: number }[];
  /** People with a row in each answer mode (one with both self and proxy rows counts in both). */
  answerModes: { answerMode: AnswerMode; participants: number }[];
  /** People with a row in each language × answer mode pair (one with rows in two pairs counts in both). */
  pairs: { language: string; answerMode: AnswerMode; participants: number }[];
}

export abstract class OutcomeDataPort {
  /** The report's inputs; DomainError REPORTS.UNKNOWN_PROGRAM when the program (version) does not exist. */
  abstract load(filters: OutcomeFilters): Promise<OutcomeData>;
  /** Participants and rows per CSV group, for the threshold check and the progress bar. */
  abstract csvGroups(filters: OutcomeFilters): Promise<CsvGroup[]>;
  /** The CSV rows, streamed (memory stays flat), ordered by participant, timepoint, instrument, score. */
  abstract csvRows(filters: OutcomeFilters): AsyncIterable<CsvRow>;
}
