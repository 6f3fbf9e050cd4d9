// An attack on a published report using nothing but what the four formats serve (see published.ts):
// 1. every suppressed count is solved for from all the sums a reader can write down (attack-identities),
//    with integer values, suppressed counts ≥ 1 (zeros are shown) and hidden remainders ≥ 0 — and again
//    assuming every suppressed count is small (≤ k − 1), as a reader might guess;
// 2. every statistic whose people are split or counted by a suppressed count must be withheld;
// 3. per-pair chart tables give away every count computed from the pairs, so none may be suppressed;
// 4. the CSV carries no group smaller than k, or is refused; a group shows its answer mode (language) only if
//    every answer mode (language) in it has at least k people, else that column's cells are all empty in it;
//    where a group shows both, every answer mode × language pair in it has at least k people.
import { definitionsByUrl, scoreMetasOf } from '../../../src/reports/score-catalogue.js';
import { bandOf, cleanDifference } from '../../../src/reports/statistics/index.js';
import { CAP, IntegerSystem, type Equation } from './attack-solver.js';
import { identitiesOf } from './attack-identities.js';
import type { Publication, Seen } from './published.js';

export interface Finding {
  kind: 'recovered' | 'recovered-if-small' | 'statistic-beside-suppressed' | 'pair-table' | 'formats-disagree' | 'csv' | 'inconsistent' | 'undecided';
  pointer: string;
  detail: string;
}

const isSlack = (name: string) => name.startsWith('~');

/** Counts the per-pair rows of outcome i give away: n, direction of change, MCID, band movement. */
function pairCounts(pub: Publication, i: number, rows: { before: number; after: number }[]): Map<string, number> {
  const o = (pub.json.outcomes as { instrument: { url: string }; score: { linkId: string; direction: string; mcid: number | null } }[])[i];
  const at = (p: string) => `/outcomes/${i}/${p}`;
  const good = rows.map((p) => (o.score.direction === 'higher-is-better' ? 1 : -1) * cleanDifference(p.before, p.after));
  const out = new Map<string, number>([
    [at('paired/n'), rows.length],
    [at('paired/improved'), good.filter((d) => d > 0).length],
    [at('paired/unchanged'), good.filter((d) => d === 0).length],
    [at('paired/worsened'), good.filter((d) => d < 0).length],
    [at('paired/wilcoxon/nNonZero'), good.filter((d) => d !== 0).length],
  ]);
  if (o.score.mcid !== null) out.set(at('paired/mcid/k'), good.filter((d) => d >= o.score.mcid!).length);
  // Band cut-offs are public: they are in the instrument's published Questionnaire.
  const meta = scoreMetasOf(definitionsByUrl().get(o.instrument.url)!).find((m) => m.linkId === o.score.linkId);
  if (meta?.bands.length) {
    const band = (v: number) => bandOf(v, meta.bands);
    const k = meta.bands.length;
    const inBand = rows.filter((p) => band(p.before) >= 0 && band(p.after) >= 0);
    for (let x = 0; x < k; x++) {
      out.set(at(`bandMovement/before/${x}`), inBand.filter((p) => band(p.before) === x).length);
      out.set(at(`bandMovement/after/${x}`), inBand.filter((p) => band(p.after) === x).length);
      for (let y = 0; y < k; y++) out.set(at(`bandMovement/counts/${x}/${y}`), inBand.filter((p) => band(p.before) === x && band(p.after) === y).length);
    }
    out.set(at('bandMovement/total'), inBand.length);
  }
  return out;
}

/** Statistics and the counts that must all be shown for each to be shown. */
function besideRules(pub: Publication): [string[], string[]][] {
  const j = pub.json as { outcomes: { paired: { mcid: unknown } }[]; retention: { cohorts: unknown[] }; assessments: unknown[]; satisfaction: unknown[] };
  const stages = ['referred', 'screened', 'eligible', 'enrolled', 'started', 'completed'];
  const n = (s: string) => `/funnel/stages/${s}/n`;
  const rules: [string[], string[]][] = stages.flatMap((s, i): [string[], string[]][] => [
    [[`/funnel/stages/${s}/ofReferred`], [n(s), n('referred')]],
    [[`/funnel/stages/${s}/ofPrevious`], [n(s), n(stages[Math.max(0, i - 1)])]],
  ]);
  const shares = ['/retention', ...j.retention.cohorts.map((_, i) => `/retention/cohorts/${i}`), '/attendance/meetingRule', ...j.assessments.map((_, i) => `/assessments/${i}`), '/safety/share'];
  j.outcomes.forEach((o, i) => o.paired.mcid && shares.push(`/outcomes/${i}/paired/mcid`));
  j.satisfaction.forEach((_, i) => shares.push(`/satisfaction/${i}/satisfied`));
  for (const s of shares) rules.push([[`${s}/estimate`, `${s}/ci95`, `${s}/ci95/0`, `${s}/ci95/1`], [`${s}/k`, `${s}/n`]]);
  rules.push([['median', 'q1', 'q3', 'iqr'].map((k) => `/attendance/${k}`), ['/attendance/n', '/attendance/meetingRule/k', n('started')]]);
  j.outcomes.forEach((_, i) => {
    const at = (p: string) => `/outcomes/${i}/${p}`;
    for (const t of ['baseline', 'post']) rules.push([[at(`${t}/mean`), at(`${t}/sd`)], [at(`${t}/n`)]]);
    const moments = ['before/mean', 'before/sd', 'after/mean', 'after/sd', 'change/mean', 'change/sd', 'change/ci95', 'change/ci95/0', 'change/ci95/1', 'tTest/t', 'tTest/df', 'tTest/p', 'cohenDz/estimate', 'cohenDz/ci95', 'cohenDz/ci95/0', 'cohenDz/ci95/1', 'cohenDz/method'];
    rules.push([moments.map((m) => at(`paired/${m}`)), [at('paired/n')]]);
    rules.push([['V', 'p', 'method'].map((m) => at(`paired/wilcoxon/${m}`)), [at('paired/n'), at('paired/improved'), at('paired/unchanged'), at('paired/worsened')]]);
  });
  j.satisfaction.forEach((_, i) => rules.push([['mean', 'sd', 'median'].map((m) => `/satisfaction/${i}/${m}`), [`/satisfaction/${i}/n`, `/satisfaction/${i}/satisfied/k`]]));
  return rules;
}

function besideFindings(pub: Publication): Finding[] {
  const out: Finding[] = [];
  const suppressed = (p: string) => pub.values.get(p) === 'suppressed';
  for (const [stats, basis] of besideRules(pub)) {
    const hidden = basis.filter(suppressed);
    if (!hidden.length) continue;
    for (const s of stats) {
      const v = pub.values.get(s);
      if (v !== undefined && v !== 'suppressed') out.push({ kind: 'statistic-beside-suppressed', pointer: s, detail: `${JSON.stringify(v)} published beside suppressed ${hidden.join(', ')}` });
    }
  }
  // Why a figure is null says something about n ("needs at least 2 pairs"): not when n is suppressed.
  for (const [p, v] of pub.values) {
    const m = /^(\/outcomes\/\d+)\/paired\/reasons\//.exec(p);
    if (m && suppressed(`${m[1]}/paired/n`) && !/no MCID/.test(String(v))) out.push({ kind: 'statistic-beside-suppressed', pointer: p, detail: `reason "${String(v)}" beside a suppressed paired n` });
  }
  return out;
}

function csvFindings(pub: Publication): Finding[] {
  const { csv, threshold } = pub;
  if (csv.refused) return [];
  const out: Finding[] = [];
  const expected = 'participant,participant_type,cohort,timepoint,instrument,score,value,answer_mode,language';
  if (csv.header.join(',') !== expected) out.push({ kind: 'csv', pointer: 'header', detail: csv.header.join(',') });
  const groups = new Map<string, Set<string>>();
  const groupOf = new Map<string, string>();
  // The quasi-identifying columns a group may show or blank (csv-gate.ts): per group, the people seen with each cell ('' = blanked).
  const columns = [
    { name: 'answer mode', index: 7, people: new Map<string, Map<string, Set<string>>>() },
    { name: 'language', index: 8, people: new Map<string, Map<string, Set<string>>>() },
  ];
  // Per group: the people seen with each answer mode × language pair, where a row shows both.
  const pairs = new Map<string, Map<string, Set<string>>>();
  for (const row of csv.rows) {
    const [who, type, cohort] = row;
    if (!/^P-[0-9a-f]{24}$/.test(who)) out.push({ kind: 'csv', pointer: who, detail: 'not a pseudonym' });
    const key = `${cohort} × ${type}`;
    if (groupOf.has(who) && groupOf.get(who) !== key) out.push({ kind: 'csv', pointer: who, detail: 'in two groups' });
    groupOf.set(who, key);
    groups.set(key, (groups.get(key) ?? new Set()).add(who));
    for (const c of columns) {
      const cell = row[c.index] ?? '';
      const byValue = c.people.get(key) ?? new Map<string, Set<string>>();
      byValue.set(cell, (byValue.get(cell) ?? new Set()).add(who));
      c.people.set(key, byValue);
    }
    const [mode, language] = [row[7] ?? '', row[8] ?? ''];
    if (mode && language) {
      const byPair = pairs.get(key) ?? new Map<string, Set<string>>();
      const pair = `answer mode ${mode} and language ${language}`;
      byPair.set(pair, (byPair.get(pair) ?? new Set()).add(who));
      pairs.set(key, byPair);
    }
  }
  for (const [key, byPair] of pairs) {
    for (const [pair, people] of byPair) if (people.size < threshold) out.push({ kind: 'csv', pointer: key, detail: `${people.size} people shown with ${pair} (< ${threshold})` });
  }
  for (const c of columns) {
    for (const [key, byValue] of c.people) {
      if (byValue.has('') && byValue.size > 1) out.push({ kind: 'csv', pointer: key, detail: `${c.name} blanked on some rows only` });
      for (const [value, people] of byValue) {
        if (value && people.size < threshold) out.push({ kind: 'csv', pointer: `${key} × ${value}`, detail: `${people.size} people shown with ${c.name} ${value} (< ${threshold})` });
      }
    }
  }
  for (const [key, people] of groups) if (people.size < threshold) out.push({ kind: 'csv', pointer: key, detail: `${people.size} people in a group (< ${threshold})` });
  if (groupOf.size < threshold) out.push({ kind: 'csv', pointer: 'population', detail: `${groupOf.size} people exported (< ${threshold})` });
  return out;
}

/**
 * The true value of every unknown, hidden remainders included (worked out from the identities): only a
 * starting point that makes the exact search fast; what it finds feasible does not depend on it.
 */
function trueValues(identities: ReturnType<typeof identitiesOf>, truth: ReadonlyMap<string, Seen>): Map<string, number> {
  const values = new Map<string, number>();
  for (const [k, v] of truth) if (typeof v === 'number') values.set(k, v);
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of identities) {
      const missing = [id.total, ...id.parts].filter((n) => !values.has(n));
      if (missing.length !== 1) continue;
      const parts = id.parts.reduce((acc, p) => acc + (values.get(p) ?? 0), 0);
      values.set(missing[0], missing[0] === id.total ? parts : values.get(id.total)! - parts);
      changed = true;
    }
  }
  return values;
}

/**
 * The linear attack. `truth` (the unsuppressed report's values) is used only to judge the guesses of
 * the "every suppressed count is small" reader, and to check the identities hold.
 */
function linearFindings(pub: Publication, truth: ReadonlyMap<string, Seen>, known: ReadonlyMap<string, number>): Finding[] {
  const value = (name: string): number | 'unknown' | undefined => {
    if (isSlack(name)) return 'unknown';
    if (known.has(name)) return known.get(name);
    const v = pub.values.get(name);
    return typeof v === 'number' ? v : v === 'suppressed' ? 'unknown' : undefined;
  };
  const names: string[] = [];
  const index = new Map<string, number>();
  const equations: Equation[] = [];
  const identities = identitiesOf(pub.json);
  const guide = trueValues(identities, truth);
  for (const id of identities) {
    const members: [string, number][] = [[id.total, 1], ...id.parts.map((p): [string, number] => [p, -1])];
    const resolved = members.map(([name, c]) => [name, c, value(name)] as const);
    if (resolved.some(([, , v]) => v === undefined)) continue;
    let rhs = 0;
    const terms: [number, number][] = [];
    for (const [name, c, v] of resolved) {
      if (v !== 'unknown') rhs -= c * (v as number);
      else {
        if (!index.has(name)) index.set(name, names.push(name) - 1);
        terms.push([index.get(name)!, c]);
      }
    }
    if (terms.length) equations.push({ terms, rhs });
    else if (rhs !== 0) return [{ kind: 'inconsistent', pointer: id.total, detail: `${id.what} does not hold on the published values` }];
  }
  // Connected components keep each exact search small.
  const parent = names.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (const e of equations) for (const [i] of e.terms) parent[find(i)] = find(e.terms[0][0]);
  const findings: Finding[] = [];
  for (const root of new Set(names.map((_, i) => find(i)))) {
    const members = names.map((_, i) => i).filter((i) => find(i) === root);
    const local = new Map(members.map((g, l) => [g, l]));
    const eqs = equations.filter((e) => find(e.terms[0][0]) === root).map((e) => ({ rhs: e.rhs, terms: e.terms.map(([i, c]): [number, number] => [local.get(i)!, c]) }));
    const lo = members.map((g) => (isSlack(names[g]) ? 0 : 1));
    const near = members.map((g) => guide.get(names[g]) ?? 0);
    const sound = new IntegerSystem(lo, members.map(() => CAP), eqs, near);
    // Built only when a count is not pinned outright: its construction (a row reduction) costs as much as the first's.
    let small: IntegerSystem | undefined;
    members.forEach((g, l) => {
      if (isSlack(names[g])) return;
      const a = sound.verdict(l);
      if (a.kind === 'pinned') findings.push({ kind: 'recovered', pointer: names[g], detail: `= ${a.value} (true ${String(truth.get(names[g]))})` });
      else if (a.kind === 'infeasible') findings.push({ kind: 'inconsistent', pointer: names[g], detail: 'the identities have no solution: the attacker’s model is wrong' });
      else if (a.kind === 'undecided') findings.push({ kind: 'undecided', pointer: names[g], detail: 'search budget exhausted' });
      else {
        // The "suppressed means small" reader is a guess; where its search gives up it has learnt nothing.
        small ??= new IntegerSystem(lo, members.map((g) => (isSlack(names[g]) ? CAP : pub.threshold - 1)), eqs, near);
        const b = small.verdict(l);
        if (b.kind === 'pinned' && b.value === truth.get(names[g])) findings.push({ kind: 'recovered-if-small', pointer: names[g], detail: `= ${b.value} if every suppressed count is below ${pub.threshold}` });
      }
    });
  }
  return findings;
}

export function attack(pub: Publication, truth: ReadonlyMap<string, Seen>): Finding[] {
  const known = new Map<string, number>();
  const findings: Finding[] = pub.disagreements.map((p) => ({ kind: 'formats-disagree', pointer: p, detail: 'one format shows what another withholds' }));
  for (const [i, rows] of pub.pairs) {
    for (const [p, v] of pairCounts(pub, i, rows)) {
      if (pub.values.get(p) === 'suppressed') findings.push({ kind: 'pair-table', pointer: p, detail: `= ${v}, counted from the per-pair chart table` });
      known.set(p, v);
    }
  }
  return [...findings, ...besideFindings(pub), ...csvFindings(pub), ...linearFindings(pub, truth, known)];
}
