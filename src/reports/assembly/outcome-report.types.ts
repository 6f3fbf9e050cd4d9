// The outcome report as the JSON API returns it. Every figure stands beside its n. A value is a number,
// null when it cannot be computed (the reason is given), or { suppressed: true } when printing it would
// reveal a count below the threshold (small-cell suppression, applied to every de-identified output).
import type { Cell, Interval, Suppressed } from '../statistics/index.js';
import type { TimepointCode } from '../outcome-data.port.js';

export type Value = number | null | Suppressed;
export type IntervalValue = Interval | null | Suppressed;

/** k of n with a Wilson 95% CI. */
export interface Share {
  k: Cell;
  n: Cell;
  estimate: Value;
  ci95: IntervalValue;
}

export const FUNNEL_STAGES = ['referred', 'screened', 'eligible', 'enrolled', 'started', 'completed'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface Reason {
  code: string;
  display: string;
  n: Cell;
}

export interface FunnelSection {
  /** Each stage's count with its share of referred and of the stage before. */
  stages: Record<FunnelStage, { n: Cell; ofReferred: Value; ofPrevious: Value }>;
  /** How referrals stand: referred = enrolled + declined + awaiting; enrolled = completed + withdrawn + inProgress. */
  declined: Cell;
  awaiting: Cell;
  withdrawn: Cell;
  inProgress: Cell;
  declineReasons: Reason[];
  withdrawalReasons: Reason[];
}

export interface RetentionSection extends Share {
  /** completed / enrolled per cohort. */
  cohorts: (Share & { label: string })[];
}

export interface AttendanceSection {
  sessionCount: number;
  minAttended: number;
  n: Cell;
  median: Value;
  q1: Value;
  q3: Value;
  iqr: Value;
  meetingRule: Share;
}

export interface AssessmentCompletion extends Share {
  timepoint: TimepointCode;
}

export interface Descriptives {
  n: Cell;
  mean: Value;
  sd: Value;
}

export interface PairedFigures {
  n: Cell;
  before: { mean: Value; sd: Value };
  after: { mean: Value; sd: Value };
  /** after − before. */
  change: { mean: Value; sd: Value; ci95: IntervalValue };
  tTest: { t: Value; df: Value; p: Value };
  /** Suppressed with n or any of improved / unchanged / worsened (V and its n pin them). */
  wilcoxon: { V: Value; p: Value; method: string | null | Suppressed; zeros: Cell; nNonZero: Cell };
  cohenDz: { estimate: Value; ci95: IntervalValue; method: string | null | Suppressed };
  /** Changes of at least the MCID in the good direction; null when the instrument has no MCID. */
  mcid: Share | null;
  improved: Cell;
  unchanged: Cell;
  worsened: Cell;
  /** Why a null figure is null (only the instrument's own reasons when n is suppressed). */
  reasons: Record<string, string>;
}

export interface BandMovementFigures {
  labels: string[];
  /** counts[from][to]: band at baseline × band at post. */
  counts: Cell[][];
  before: Cell[];
  after: Cell[];
  total: Cell;
}

export interface OutcomeFigures {
  key: string;
  instrument: { url: string; title: string };
  score: { linkId: string; title: string; unit: string; min: number; max: number; direction: 'higher-is-better' | 'higher-is-worse'; mcid: number | null };
  /** Every enrolled participant is paired or left out for the first reason that applies. */
  participants: { enrolled: Cell; paired: Cell; missingBaseline: Cell; withdrawn: Cell; missingPost: Cell };
  /** All available values at each timepoint (paired or not). */
  baseline: Descriptives;
  post: Descriptives;
  paired: PairedFigures;
  /** null when the instrument defines no bands. */
  bandMovement: BandMovementFigures | null;
  /** Baseline n and post n split by the language the values were answered in (issue 15). */
  languages: { code: string; baseline: Cell; post: Cell }[];
  note: string | null;
}

export interface SatisfactionFigures {
  linkId: string;
  text: string;
  n: Cell;
  mean: Value;
  sd: Value;
  median: Value;
  /** Ratings of 4 or 5 out of 5. */
  satisfied: Share;
}

export interface ReportNote {
  code: string;
  text: string;
}

export interface OutcomeReport {
  title: string;
  generatedAt: string;
  program: { slug: string; title: string; version: string };
  filters: Record<string, string>;
  /** Always true: the report is an aggregate with small cells suppressed. */
  deidentified: true;
  suppression: { threshold: number; rule: string };
  funnel: FunnelSection;
  retention: RetentionSection;
  attendance: AttendanceSection;
  assessments: AssessmentCompletion[];
  outcomes: OutcomeFigures[];
  satisfaction: SatisfactionFigures[];
  safety: { raised: Cell; followedUp: Cell; share: Share };
  notes: ReportNote[];
}

/** Per-participant before/after values for the spaghetti plot: only where the paired n is shown and ≥ threshold. */
export interface ChartData {
  pairs: Record<string, { before: number; after: number }[]>;
}
