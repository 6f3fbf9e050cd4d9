// Framework-free statistics for the outcome report (issue 6). Pure functions, no NestJS: the report
// service feeds them scores and counts read through other modules' services.
//
// Conventions, chosen so a reviewer can reproduce every number in R:
// - change = after − before; t-test and CI as t.test(after, before, paired = TRUE);
// - Wilcoxon as wilcox.test(after, before, paired = TRUE) in R < 4.6.0: zeros dropped, exact p when
//   n < 50 without ties or zeros, else normal approximation with tie and continuity corrections.
//   R ≥ 4.6.0 gives an exact conditional p-value with ties/zeros instead (exact = FALSE matches ours);
// - quantiles are R's type 7; SDs use n − 1; shares carry Wilson 95% CIs (prop.test, correct = FALSE);
// - Cohen's d_z CI inverts the noncentral t (Steiger & Fouladi 1997).
// Anything that cannot be computed comes back as null (or NotComputed) with a reason, never NaN.
export { attendanceSummary } from './attendance.js';
export type { AttendanceRule, AttendanceSummary } from './attendance.js';
export { bandMovement, bandOf } from './bands.js';
export type { Band, BandMovement } from './bands.js';
export { describe, mean, quantile7, sampleSd } from './describe.js';
export type { Description } from './describe.js';
export { cohenDz } from './effect-size.js';
export type { CohenDz, EffectSizeCiMethod } from './effect-size.js';
export { cleanDifference, pairedChange } from './paired.js';
export type { Pair, PairedChange, PairedChangeOptions, PairedField } from './paired.js';
export { proportion } from './proportion.js';
export type { Proportion } from './proportion.js';
export {
  deriveOrSuppress,
  isSuppressed,
  SUPPRESSED,
  suppressCrossTab,
  suppressFunnel,
  suppressList,
} from './suppression.js';
export type { Cell, SuppressedCrossTab, Suppressed, SuppressionOptions } from './suppression.js';
export { pairedTTest } from './t-test.js';
export type { PairedTTest } from './t-test.js';
export { isNotComputed } from './types.js';
export type { Interval, NotComputed } from './types.js';
export { averageRanks, signedRankTest } from './wilcoxon.js';
export type { SignedRankTest, WilcoxonMethod } from './wilcoxon.js';
