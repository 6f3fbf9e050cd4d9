// Per instrument and score: who was paired and who was left out (and why), baseline and post
// descriptives, the paired change with its tests and effect size, MCID and band movement.
import { describe, isSuppressed, pairedChange } from '../statistics/index.js';
import type { OutcomeData, ScoreSeries } from '../outcome-data.port.js';
import type { DisclosureTable } from '../disclosure.js';
import { registerBandMovement } from './bands.figures.js';
import type { FunnelRefs } from './funnel.section.js';
import { guard } from './figures.helpers.js';
import type { ChartData, OutcomeFigures } from './outcome-report.types.js';
import { pairedFigures } from './paired.figures.js';

/** Above this many pairs a spaghetti plot is unreadable (and heavy): the band movement table says more. */
export const MAX_INDIVIDUAL_LINES = 300;

/** `phq-9:phq9-total`: the Questionnaire's last URL segment and the score's linkId. */
export function scoreKey(s: ScoreSeries): string {
  return `${s.meta.instrumentUrl.split('/').pop()}:${s.meta.linkId}`;
}

function registerScore(t: DisclosureTable, s: ScoreSeries, refs: FunnelRefs, enrolled: number, threshold: number) {
  const what = `the participants of ${s.meta.title}`;
  if (s.baselineOnly.length !== s.missingPost + s.withdrawn || s.postOnly.length > s.missingBaseline) {
    throw new RangeError(`report data is inconsistent: unpaired values of ${s.meta.title} do not match its exclusions`);
  }
  if (s.pairs.length + s.missingBaseline + s.withdrawn + s.missingPost !== enrolled) {
    throw new RangeError(`report data is inconsistent: ${what} do not add up to the enrolled`);
  }
  // The paired n carries every change figure: hide the enrolled or an exclusion before it.
  const paired = t.count(s.pairs.length, 'total');
  const missingBaseline = t.count(s.missingBaseline);
  const withdrawn = t.count(s.withdrawn);
  const missingPost = t.count(s.missingPost);
  t.sum(refs.enrolled, [paired, missingBaseline, withdrawn, missingPost], what);
  // Those who withdrew without a post value are some of the funnel's withdrawn.
  t.within([withdrawn], refs.withdrawn, what);
  // Everyone with a baseline value is paired or lacks a post value; the post-only people are a hidden
  // part of those missing a baseline.
  const baselineN = t.count(s.pairs.length + s.baselineOnly.length);
  t.sum(baselineN, [paired, withdrawn, missingPost], what);
  const [postOnly, noValue] = [s.postOnly.length, s.missingBaseline - s.postOnly.length];
  const postOnlyRef = t.hiddenParts([postOnly]);
  t.sum(missingBaseline, [...postOnlyRef, ...t.hiddenParts([noValue])], what);
  const postN = t.count(s.pairs.length + postOnly);
  t.sum(postN, [paired, ...postOnlyRef], what);
  // Baseline n and post n by the language the values were answered in: two more sums over them.
  const languages = s.languages.map((l) => ({ code: l.code, baseline: t.count(l.baseline), post: t.count(l.post) }));
  t.sum(baselineN, languages.map((l) => l.baseline), `the languages of ${s.meta.title} at baseline`);
  t.sum(postN, languages.map((l) => l.post), `the languages of ${s.meta.title} at post`);

  const pc = pairedChange(s.pairs, { mcid: s.meta.mcid, higherIsBetter: s.meta.higherIsBetter });
  const improved = t.count(pc.improved);
  const unchanged = t.count(pc.unchanged);
  const worsened = t.count(pc.worsened);
  t.sum(paired, [improved, unchanged, worsened], `the direction of change of ${s.meta.title}`);
  // The signed-rank test's n, printed beside it: those who changed, a count like any other.
  const changed = t.count(pc.improved + pc.worsened);
  t.sum(changed, [improved, worsened], `the direction of change of ${s.meta.title}`);
  t.sum(paired, [unchanged, changed], `the direction of change of ${s.meta.title}`);
  const mcid = pc.shareReachingMcid ? t.count(pc.shareReachingMcid.k) : null;
  // Reaching the MCID (a change of at least the MCID in the good direction) is improving.
  if (mcid !== null) t.share(mcid, improved, `the MCID of ${s.meta.title}`);
  const bands = registerBandMovement(t, s, { paired, improved, worsened });
  // What the individual lines would give away: every count computed from the pairs.
  const fromPairs = [paired, improved, unchanged, worsened, changed, ...(mcid === null ? [] : [mcid]), ...bands.refs];

  const before = describe([...s.pairs.map((p) => p.before), ...s.baselineOnly]);
  const after = describe([...s.pairs.map((p) => p.after), ...s.postOnly]);
  const key = scoreKey(s);
  const render = (): { figures: OutcomeFigures; pairs?: ChartData['pairs'][string] } => {
    const n = t.cell(paired);
    const bN = t.cell(baselineN);
    const pN = t.cell(postN);
    const m = s.meta;
    const figures: OutcomeFigures = {
      key,
      instrument: { url: m.instrumentUrl, title: m.instrumentTitle },
      score: { linkId: m.linkId, title: m.title, unit: m.unit, min: m.min, max: m.max, direction: m.higherIsBetter ? 'higher-is-better' : 'higher-is-worse', mcid: m.mcid ?? null },
      participants: { enrolled: t.cell(refs.enrolled), paired: n, missingBaseline: t.cell(missingBaseline), withdrawn: t.cell(withdrawn), missingPost: t.cell(missingPost) },
      baseline: { n: bN, mean: guard(bN, before.mean), sd: guard(bN, before.sd) },
      post: { n: pN, mean: guard(pN, after.mean), sd: guard(pN, after.sd) },
      paired: pairedFigures(pc, { n, improved: t.cell(improved), unchanged: t.cell(unchanged), worsened: t.cell(worsened), changed: t.cell(changed), mcid: mcid === null ? null : t.cell(mcid) }),
      bandMovement: bands.render(),
      languages: languages.map((l) => ({ code: l.code, baseline: t.cell(l.baseline), post: t.cell(l.post) })),
      note: m.note ?? null,
    };
    // Individual lines only when the group is large enough to hide in, and few enough to read; sorted
    // so that no order links a line to a CSV row. The lines (and their data table) give away every count
    // computed from the pairs, so none of those may be suppressed.
    const showLines = !isSuppressed(n) && n >= threshold && n <= MAX_INDIVIDUAL_LINES && !fromPairs.some((r) => isSuppressed(t.cell(r)));
    const pairs = showLines ? s.pairs.map((p) => ({ before: p.before, after: p.after })).sort((a, b) => a.before - b.before || a.after - b.after) : undefined;
    return { figures, pairs };
  };
  return render;
}

export function registerOutcomes(t: DisclosureTable, data: OutcomeData, refs: FunnelRefs, threshold: number) {
  const renders = data.scores.map((s) => registerScore(t, s, refs, data.funnel.enrolled, threshold));
  return () => {
    const rendered = renders.map((r) => r());
    const pairs: ChartData['pairs'] = {};
    rendered.forEach((r) => r.pairs && (pairs[r.figures.key] = r.pairs));
    return { outcomes: rendered.map((r) => r.figures), charts: { pairs } as ChartData };
  };
}
