// The sums a reader can write down from a published report and the README's definitions, over the
// report's JSON Pointers. "a ≤ b" facts (a subset of people) become b = a + slack, slack ≥ 0.

export interface Identity {
  total: string;
  parts: string[];
  what: string;
}

interface Shape {
  funnel: { declineReasons: { code: string }[]; withdrawalReasons: unknown[] };
  retention: { cohorts: unknown[] };
  attendance: { minAttended: number };
  assessments: unknown[];
  outcomes: { score: { direction: string }; paired: { mcid: unknown }; bandMovement: { labels: string[] } | null; languages: unknown[] }[];
  satisfaction: unknown[];
}

const STAGES = ['referred', 'screened', 'eligible', 'enrolled', 'started', 'completed'];
const stage = (s: string) => `/funnel/stages/${s}/n`;

export function identitiesOf(json: Record<string, unknown>): Identity[] {
  const r = json as unknown as Shape;
  const ids: Identity[] = [];
  let slacks = 0;
  const sum = (total: string, parts: string[], what: string) => ids.push({ total, parts, what });
  const same = (a: string, b: string, what: string) => sum(a, [b], what);
  const atMost = (parts: string[], total: string, what: string) => sum(total, [...parts, `~slack${slacks++}:${what}`], what);

  // Funnel: nested stages, how referrals stand, reasons (and the stage each decline reason lies between).
  STAGES.slice(1).forEach((s, i) => atMost([stage(s)], stage(STAGES[i]), `${STAGES[i]} ⊇ ${s}`));
  sum(stage('referred'), [stage('enrolled'), '/funnel/declined', '/funnel/awaiting'], 'referred = enrolled + declined + awaiting');
  sum(stage('enrolled'), [stage('completed'), '/funnel/withdrawn', '/funnel/inProgress'], 'enrolled = completed + withdrawn + in progress');
  sum('/funnel/declined', r.funnel.declineReasons.map((_, i) => `/funnel/declineReasons/${i}/n`), 'decline reasons');
  sum('/funnel/withdrawn', r.funnel.withdrawalReasons.map((_, i) => `/funnel/withdrawalReasons/${i}/n`), 'withdrawal reasons');
  const reason = (code: string) => `/funnel/declineReasons/${r.funnel.declineReasons.findIndex((x) => x.code === code)}/n`;
  const lossHolds = (code: string, from: string, to: string) => {
    // loss(from → to) = from − to ≥ declined for this reason: from = to + reason + slack.
    if (r.funnel.declineReasons.some((x) => x.code === code)) sum(stage(from), [stage(to), reason(code), `~slack${slacks++}:${code}`], `${code} lies between ${from} and ${to}`);
  };
  lossHolds('declined-before-screening', 'referred', 'screened');
  lossHolds('ineligible', 'screened', 'eligible');
  lossHolds('declined-after-screening', 'eligible', 'enrolled');

  // Retention overall and per cohort.
  same('/retention/k', stage('completed'), 'retention k = completed');
  same('/retention/n', stage('enrolled'), 'retention n = enrolled');
  sum(stage('enrolled'), r.retention.cohorts.map((_, i) => `/retention/cohorts/${i}/n`), 'cohorts’ enrolled');
  sum(stage('completed'), r.retention.cohorts.map((_, i) => `/retention/cohorts/${i}/k`), 'cohorts’ completed');
  r.retention.cohorts.forEach((_, i) => atMost([`/retention/cohorts/${i}/k`], `/retention/cohorts/${i}/n`, `cohort ${i}`));

  // Attendance: everyone enrolled; meeting the rule means having attended, hence started.
  same('/attendance/n', stage('enrolled'), 'attendance n = enrolled');
  same('/attendance/meetingRule/n', stage('enrolled'), 'meeting rule n = enrolled');
  atMost(['/attendance/meetingRule/k'], r.attendance.minAttended >= 1 ? stage('started') : stage('enrolled'), 'meeting the rule ⊆ started');

  // Assessments per timepoint: due ⊆ enrolled, completed ⊆ due.
  r.assessments.forEach((_, i) => {
    atMost([`/assessments/${i}/n`], stage('enrolled'), `due at timepoint ${i}`);
    atMost([`/assessments/${i}/k`], `/assessments/${i}/n`, `completed at timepoint ${i}`);
  });

  r.outcomes.forEach((o, i) => {
    const at = (p: string) => `/outcomes/${i}/${p}`;
    same(at('participants/enrolled'), stage('enrolled'), 'outcome enrolled');
    same(at('participants/paired'), at('paired/n'), 'paired n');
    sum(stage('enrolled'), [at('paired/n'), at('participants/missingBaseline'), at('participants/withdrawn'), at('participants/missingPost')], 'who is paired or left out');
    sum(at('baseline/n'), [at('paired/n'), at('participants/withdrawn'), at('participants/missingPost')], 'baseline n');
    const postOnly = `~postOnly${i}`;
    sum(at('post/n'), [at('paired/n'), postOnly], 'post n = paired + post only');
    atMost([postOnly], at('participants/missingBaseline'), 'post only ⊆ missing baseline');
    atMost([at('participants/withdrawn')], '/funnel/withdrawn', 'withdrew without a post value ⊆ withdrawn');
    sum(at('paired/n'), [at('paired/improved'), at('paired/unchanged'), at('paired/worsened')], 'direction of change');
    same(at('paired/wilcoxon/zeros'), at('paired/unchanged'), 'zero differences = unchanged');
    sum(at('paired/n'), [at('paired/unchanged'), at('paired/wilcoxon/nNonZero')], 'non-zero differences');
    sum(at('paired/wilcoxon/nNonZero'), [at('paired/improved'), at('paired/worsened')], 'non-zero differences by sign');
    // Baseline n and post n by the language the values were answered in (issue 15).
    if (o.languages.length) {
      sum(at('baseline/n'), o.languages.map((_, j) => at(`languages/${j}/baseline`)), 'baseline n by language');
      sum(at('post/n'), o.languages.map((_, j) => at(`languages/${j}/post`)), 'post n by language');
    }
    if (o.paired.mcid) {
      same(at('paired/mcid/n'), at('paired/n'), 'MCID n');
      atMost([at('paired/mcid/k')], at('paired/improved'), 'reaching the MCID ⊆ improved');
    }
    const b = o.bandMovement;
    if (b) {
      const cell = (x: number, y: number) => at(`bandMovement/counts/${x}/${y}`);
      const idx = b.labels.map((_, x) => x);
      idx.forEach((x) => sum(at(`bandMovement/before/${x}`), idx.map((y) => cell(x, y)), 'band row'));
      idx.forEach((y) => sum(at(`bandMovement/after/${y}`), idx.map((x) => cell(x, y)), 'band column'));
      sum(at('bandMovement/total'), idx.map((x) => at(`bandMovement/before/${x}`)), 'band total (rows)');
      sum(at('bandMovement/total'), idx.map((y) => at(`bandMovement/after/${y}`)), 'band total (columns)');
      atMost([at('bandMovement/total')], at('paired/n'), 'pairs in a band ⊆ paired');
      const up = o.score.direction === 'higher-is-better';
      const moved = (better: boolean) => idx.flatMap((x) => idx.filter((y) => (y > x) === (up === better) && y !== x).map((y) => cell(x, y)));
      atMost(moved(true), at('paired/improved'), 'moved to a better band ⊆ improved');
      atMost(moved(false), at('paired/worsened'), 'moved to a worse band ⊆ worsened');
    }
  });

  r.satisfaction.forEach((_, i) => {
    same(`/satisfaction/${i}/satisfied/n`, `/satisfaction/${i}/n`, 'satisfaction n');
    atMost([`/satisfaction/${i}/satisfied/k`], `/satisfaction/${i}/n`, 'satisfied ⊆ answered');
    atMost([`/satisfaction/${i}/n`], stage('enrolled'), 'answered ⊆ enrolled');
  });
  same('/safety/share/k', '/safety/followedUp', 'alerts followed up');
  same('/safety/share/n', '/safety/raised', 'alerts raised');
  atMost(['/safety/followedUp'], '/safety/raised', 'followed up ⊆ raised');
  return ids;
}
