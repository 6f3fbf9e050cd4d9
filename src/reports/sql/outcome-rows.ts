// Folds the grouped rows of the report's SQL into the port's OutcomeData parts. Pure and small: the
// database has already done the counting.
import type { CohortCounts, FunnelCounts, LanguageCount, OutcomeData, SatisfactionItem, ScoreMeta, ScoreSeries } from '../outcome-data.port.js';
import { countReasons, DECLINE_REASONS, WITHDRAWAL_REASONS } from '../reasons.js';

export interface FunnelRow {
  outcome: 'awaiting' | 'declined' | 'inProgress' | 'completed' | 'withdrawn';
  reason: string | null;
  cohort_label: string | null;
  screened: boolean;
  eligible: boolean;
  started: boolean;
  enrolled: boolean;
  attended: number;
  n: number;
}

export function foldFunnel(rows: readonly FunnelRow[]): Pick<OutcomeData, 'funnel' | 'declineReasons' | 'withdrawalReasons' | 'cohorts' | 'attendance'> {
  const sum = (pick: (r: FunnelRow) => boolean) => rows.reduce((s, r) => (pick(r) ? s + r.n : s), 0);
  const funnel: FunnelCounts = {
    referred: sum(() => true),
    screened: sum((r) => r.screened),
    eligible: sum((r) => r.eligible),
    enrolled: sum((r) => r.enrolled),
    started: sum((r) => r.started),
    completed: sum((r) => r.outcome === 'completed'),
    declined: sum((r) => r.outcome === 'declined'),
    awaiting: sum((r) => r.outcome === 'awaiting'),
    withdrawn: sum((r) => r.outcome === 'withdrawn'),
    inProgress: sum((r) => r.outcome === 'inProgress'),
  };
  const tally = (outcome: FunnelRow['outcome']) => {
    const m = new Map<string, number>();
    for (const r of rows) if (r.outcome === outcome && r.reason) m.set(r.reason, (m.get(r.reason) ?? 0) + r.n);
    return m;
  };
  const cohorts = new Map<string, CohortCounts>();
  const attendance = new Map<number, number>();
  for (const r of rows.filter((x) => x.enrolled)) {
    const label = r.cohort_label ?? 'No cohort';
    const c = cohorts.get(label) ?? { label, enrolled: 0, completed: 0 };
    c.enrolled += r.n;
    if (r.outcome === 'completed') c.completed += r.n;
    cohorts.set(label, c);
    attendance.set(r.attended, (attendance.get(r.attended) ?? 0) + r.n);
  }
  return {
    funnel,
    declineReasons: countReasons(DECLINE_REASONS, tally('declined'), 'declined-after-screening'),
    withdrawalReasons: countReasons(WITHDRAWAL_REASONS, tally('withdrawn'), 'not-recorded'),
    cohorts: [...cohorts.values()].sort((a, b) => a.label.localeCompare(b.label)),
    attendance: [...attendance].map(([sessions, participants]) => ({ sessions, participants })).sort((a, b) => a.sessions - b.sessions),
  };
}

/** One analysed score's values as SCORES_SQL folds them (each person's latest values; JSON arrays). */
export interface SeriesRow {
  instrument_url: string;
  link_id: string;
  /** [before, after] of each person with both. */
  pairs: [number, number][];
  /** Baseline values of those without a post value. */
  baseline_only: number[];
  /** Post values of those without a baseline value. */
  post_only: number[];
  /** People with a baseline value (paired or not). */
  with_baseline: number;
  /** Of those with a baseline value and no post value, the withdrawn. */
  withdrawn: number;
}

/** Pairs and exclusions per analysed score; everyone enrolled without a baseline value lacks one. */
export function foldScores(metas: readonly ScoreMeta[], rows: readonly SeriesRow[], enrolled: number): ScoreSeries[] {
  return metas.map((meta) => {
    const r = rows.find((x) => x.instrument_url === meta.instrumentUrl && x.link_id === meta.linkId);
    const pairs = (r?.pairs ?? []).map(([before, after]) => ({ before, after }));
    const baselineOnly = r?.baseline_only ?? [];
    const withdrawn = r?.withdrawn ?? 0;
    return {
      meta,
      pairs,
      baselineOnly,
      postOnly: r?.post_only ?? [],
      missingBaseline: enrolled - (r?.with_baseline ?? 0),
      withdrawn,
      missingPost: baselineOnly.length - withdrawn,
      languages: [],
    };
  });
}

/** Ratings per item from answer codes; `ratingOf` reads each code's weight from the Questionnaire. */
export function foldSatisfaction(
  items: readonly { linkId: string; text: string }[],
  rows: readonly { link_id: string; code: string; n: number }[],
  ratingOf: (linkId: string, code: string) => number | undefined,
): SatisfactionItem[] {
  return items.map(({ linkId, text }) => {
    const counts = [1, 2, 3, 4, 5].map((rating) => ({ rating, count: 0 }));
    for (const r of rows) {
      const rating = r.link_id === linkId ? ratingOf(linkId, r.code) : undefined;
      const slot = counts.find((c) => c.rating === rating);
      if (slot) slot.count += r.n;
    }
    return { linkId, text, counts };
  });
}

/** People whose latest value of a score at a timepoint was answered in a language (SCORES_SQL counts them). */
export interface LanguageRow {
  instrument_url: string;
  link_id: string;
  timepoint: 'baseline' | 'post';
  language: string;
  n: number;
}

/** Per score, its people by the language of their baseline and post values, sorted by language code. */
export function foldLanguages(series: readonly ScoreSeries[], rows: readonly LanguageRow[]): ScoreSeries[] {
  return series.map((s) => {
    const by = new Map<string, LanguageCount>();
    for (const r of rows) {
      if (r.instrument_url !== s.meta.instrumentUrl || r.link_id !== s.meta.linkId) continue;
      const c = by.get(r.language) ?? { code: r.language, baseline: 0, post: 0 };
      c[r.timepoint] += r.n;
      by.set(r.language, c);
    }
    return { ...s, languages: [...by.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)) };
  });
}
