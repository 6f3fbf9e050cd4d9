// The report as a flat list of figures, each addressed by a JSON Pointer (RFC 6901) into the JSON report.
// The HTML table and the MeasureReport are both built from this list, so they show the same numbers as the
// JSON, and a browser test can check each `data-figure` against the JSON by resolving its pointer.
import type { Cell } from './statistics/index.js';
import type { IntervalValue, OutcomeReport, Share, Value } from './assembly/outcome-report.types.js';
import { FUNNEL_STAGES } from './assembly/outcome-report.types.js';

export type FigureKind = 'count' | 'proportion' | 'mean' | 'sd' | 'median' | 'quartile' | 'statistic' | 'p-value' | 'effect-size';

export interface Figure {
  /** JSON Pointer of the value in the JSON report, e.g. `/retention/estimate`. */
  pointer: string;
  section: string;
  label: string;
  kind: FigureKind;
  value: Value;
  /** The n the figure rests on, and where it is in the JSON. */
  n: Cell | null;
  nPointer: string | null;
  ci95?: IntervalValue;
}

class FigureList {
  readonly figures: Figure[] = [];
  constructor(private readonly section: string) {}

  add(pointer: string, label: string, kind: FigureKind, value: Value, n: Cell | null, nPointer: string | null, ci95?: IntervalValue): void {
    this.figures.push({ pointer, section: this.section, label, kind, value, n, nPointer, ...(ci95 !== undefined ? { ci95 } : {}) });
  }

  count(pointer: string, label: string, value: Cell): void {
    this.add(pointer, label, 'count', value, null, null);
  }

  share(pointer: string, label: string, s: Share): void {
    this.add(`${pointer}/estimate`, label, 'proportion', s.estimate, s.n, `${pointer}/n`, s.ci95);
  }
}

function funnelFigures(r: OutcomeReport): Figure[] {
  const f = new FigureList('Funnel and retention');
  for (const s of FUNNEL_STAGES) {
    const st = r.funnel.stages[s];
    f.count(`/funnel/stages/${s}/n`, `${s[0].toUpperCase()}${s.slice(1)}`, st.n);
    if (s !== 'referred') f.add(`/funnel/stages/${s}/ofReferred`, `${s} of referred`, 'proportion', st.ofReferred, r.funnel.stages.referred.n, '/funnel/stages/referred/n');
  }
  for (const k of ['declined', 'awaiting', 'withdrawn', 'inProgress'] as const) f.count(`/funnel/${k}`, k === 'inProgress' ? 'In progress' : `${k[0].toUpperCase()}${k.slice(1)}`, r.funnel[k]);
  r.funnel.declineReasons.forEach((x, i) => f.count(`/funnel/declineReasons/${i}/n`, `Declined: ${x.display}`, x.n));
  r.funnel.withdrawalReasons.forEach((x, i) => f.count(`/funnel/withdrawalReasons/${i}/n`, `Withdrew: ${x.display}`, x.n));
  f.share('/retention', 'Retention (completed of enrolled)', r.retention);
  r.retention.cohorts.forEach((c, i) => f.share(`/retention/cohorts/${i}`, `Retention, ${c.label}`, c));
  return f.figures;
}

function participationFigures(r: OutcomeReport): Figure[] {
  const f = new FigureList('Attendance and assessments');
  const a = r.attendance;
  f.add('/attendance/median', 'Sessions attended, median', 'median', a.median, a.n, '/attendance/n');
  f.add('/attendance/q1', 'Sessions attended, first quartile', 'quartile', a.q1, a.n, '/attendance/n');
  f.add('/attendance/q3', 'Sessions attended, third quartile', 'quartile', a.q3, a.n, '/attendance/n');
  f.share('/attendance/meetingRule', `Attended at least ${a.minAttended} of ${a.sessionCount} sessions`, a.meetingRule);
  r.assessments.forEach((x, i) => f.share(`/assessments/${i}`, `Assessments completed at ${x.timepoint}`, x));
  return f.figures;
}

function outcomeFigures(r: OutcomeReport): Figure[] {
  return r.outcomes.flatMap((o, i) => {
    const f = new FigureList(o.score.title);
    const at = `/outcomes/${i}`;
    const n = o.paired.n;
    const np = `${at}/paired/n`;
    for (const k of ['paired', 'missingBaseline', 'withdrawn', 'missingPost'] as const) f.count(`${at}/participants/${k}`, `${o.score.title}: ${k === 'paired' ? 'paired' : `left out, ${k.replace(/([A-Z])/g, ' $1').toLowerCase()}`}`, o.participants[k]);
    f.add(`${at}/baseline/mean`, `${o.score.title}: baseline mean`, 'mean', o.baseline.mean, o.baseline.n, `${at}/baseline/n`);
    f.add(`${at}/baseline/sd`, `${o.score.title}: baseline SD`, 'sd', o.baseline.sd, o.baseline.n, `${at}/baseline/n`);
    f.add(`${at}/post/mean`, `${o.score.title}: post mean`, 'mean', o.post.mean, o.post.n, `${at}/post/n`);
    f.add(`${at}/post/sd`, `${o.score.title}: post SD`, 'sd', o.post.sd, o.post.n, `${at}/post/n`);
    f.add(`${at}/paired/change/mean`, `${o.score.title}: mean change (post − baseline)`, 'mean', o.paired.change.mean, n, np, o.paired.change.ci95);
    f.add(`${at}/paired/change/sd`, `${o.score.title}: SD of change`, 'sd', o.paired.change.sd, n, np);
    f.add(`${at}/paired/tTest/t`, `${o.score.title}: paired t`, 'statistic', o.paired.tTest.t, n, np);
    f.add(`${at}/paired/tTest/p`, `${o.score.title}: paired t-test p`, 'p-value', o.paired.tTest.p, n, np);
    f.add(`${at}/paired/wilcoxon/p`, `${o.score.title}: Wilcoxon signed-rank p`, 'p-value', o.paired.wilcoxon.p, n, np);
    f.add(`${at}/paired/cohenDz/estimate`, `${o.score.title}: Cohen's d_z`, 'effect-size', o.paired.cohenDz.estimate, n, np, o.paired.cohenDz.ci95);
    if (o.paired.mcid) f.share(`${at}/paired/mcid`, `${o.score.title}: reached the MCID (${o.score.mcid})`, o.paired.mcid);
    for (const k of ['improved', 'unchanged', 'worsened'] as const) f.count(`${at}/paired/${k}`, `${o.score.title}: ${k}`, o.paired[k]);
    o.languages.forEach((l, j) => {
      f.count(`${at}/languages/${j}/baseline`, `${o.score.title}: baseline values answered in '${l.code}'`, l.baseline);
      f.count(`${at}/languages/${j}/post`, `${o.score.title}: post values answered in '${l.code}'`, l.post);
    });
    return f.figures;
  });
}

function experienceFigures(r: OutcomeReport): Figure[] {
  const f = new FigureList('Satisfaction and safety');
  r.satisfaction.forEach((s, i) => {
    f.add(`/satisfaction/${i}/mean`, `${s.text} (mean rating 1–5)`, 'mean', s.mean, s.n, `/satisfaction/${i}/n`);
    f.share(`/satisfaction/${i}/satisfied`, `${s.text} (rated 4 or 5)`, s.satisfied);
  });
  f.count('/safety/raised', 'Safety alerts raised', r.safety.raised);
  f.share('/safety/share', 'Safety alerts followed up', r.safety.share);
  return f.figures;
}

export function figuresOf(report: OutcomeReport): Figure[] {
  return [...funnelFigures(report), ...participationFigures(report), ...outcomeFigures(report), ...experienceFigures(report)];
}

/** The value at a JSON Pointer (RFC 6901), for tests and for anyone checking an export against the JSON. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), doc);
}
