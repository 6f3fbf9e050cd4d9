import { largeCohort, PHQ9_ONLY } from '../../test/support/reports/cohorts.js';
import { InMemoryOutcomeData } from '../../test/support/reports/in-memory-outcome-data.js';
import { mscProgram } from '../../test/support/reports/synthetic-cohort.js';
import { assembleOutcomeReport } from './assembly/outcome-report.js';
import type { OutcomeReport } from './assembly/outcome-report.types.js';
import { DisclosureTable } from './disclosure.js';
import { isSuppressed, SUPPRESSED, suppressFunnel, suppressList, type Cell } from './statistics/index.js';

const S = SUPPRESSED;

describe('DisclosureTable', () => {
  it('hides a funnel stage so a loss of 3 cannot be worked out, exactly as suppressFunnel does', () => {
    // referred 40 → screened 37: printing both would reveal the 3 who were not screened.
    const stages = [40, 37, 20, 16];
    const t = new DisclosureTable(11);
    const refs = stages.map((s) => t.count(s));
    refs.slice(1).forEach((r, i) => t.share(r, refs[i]));
    t.solve();
    const shown = refs.map((r) => t.cell(r));
    expect(shown).toEqual(suppressFunnel(stages));
    expect(isSuppressed(shown[0]) || isSuppressed(shown[1])).toBe(true);
  });

  it('suppresses a list like suppressList, and links lists that share a total', () => {
    const t = new DisclosureTable(11);
    const total = t.count(71, 'total');
    const cells = [25, 4, 30, 12].map((c) => t.count(c));
    t.sum(total, cells);
    t.solve();
    expect(cells.map((c) => t.cell(c))).toEqual(suppressList([25, 4, 30, 12]).cells);

    // Two breakdowns of the same 40 withdrawn: hiding 3 in one and nothing in the other would leak it.
    const u = new DisclosureTable(11);
    const withdrawn = u.count(40, 'total');
    const byReason = [3, 37].map((c) => u.count(c));
    const byCohort = [20, 20].map((c) => u.count(c));
    u.sum(withdrawn, byReason);
    u.sum(withdrawn, byCohort);
    u.solve();
    expect(byReason.map((c) => u.cell(c))).toEqual([S, S]);
  });

  it('hides more when sums linked through a shared count pin small cells with the ≥ 1 bound', () => {
    // 14 referred = enrolled 1 + declined 2 + awaiting 11, and declined = two reasons of 1: with only the
    // small counts hidden, declined ≥ 1 + 1 leaves enrolled ≤ 1, so enrolled = 1 and declined = 2.
    const t = new DisclosureTable(11);
    const referred = t.count(14, 'total');
    const [enrolled, declined, awaiting] = [t.count(1), t.count(2, 'total'), t.count(11)];
    const reasons = [1, 1, 0].map((c) => t.count(c));
    t.sum(referred, [enrolled, declined, awaiting]);
    t.sum(declined, reasons);
    t.solve();
    expect([enrolled, declined, ...reasons.slice(0, 2)].map((r) => t.cell(r))).toEqual([S, S, S, S]);
    expect(isSuppressed(t.cell(awaiting)) || isSuppressed(t.cell(referred))).toBe(true);
    expect(t.cell(reasons[2])).toBe(0);
  });

  it('registers a subset a reader infers only when the data bears it out', () => {
    const t = new DisclosureTable(11);
    const improved = t.count(20);
    expect(t.within([t.count(12)], improved)).toBe(true);
    expect(t.within([t.count(25)], improved)).toBe(false);
    expect(t.within([t.count(3)], undefined)).toBe(false);
  });

  it('refuses counts that do not add up', () => {
    const t = new DisclosureTable(11);
    expect(() => t.sum(t.count(10), [t.count(4), t.count(5)], 'the test sum')).toThrow(/the test sum is 10 but its parts add up to 9/);
    expect(() => t.count(-1)).toThrow(RangeError);
  });
});

/** [total, parts] relations a reader can form from the published report. */
function relations(r: OutcomeReport): [Cell, Cell[]][] {
  const st = r.funnel.stages;
  const chain = Object.values(st).map((s) => s.n);
  const rel: [Cell, Cell[]][] = chain.slice(1).map((n, i) => [chain[i], [n]] as [Cell, Cell[]]);
  rel.push([st.referred.n, [st.enrolled.n, r.funnel.declined, r.funnel.awaiting]]);
  rel.push([st.enrolled.n, [st.completed.n, r.funnel.withdrawn, r.funnel.inProgress]]);
  rel.push([r.funnel.declined, r.funnel.declineReasons.map((x) => x.n)]);
  rel.push([r.funnel.withdrawn, r.funnel.withdrawalReasons.map((x) => x.n)]);
  rel.push([st.enrolled.n, r.retention.cohorts.map((c) => c.n)], [st.completed.n, r.retention.cohorts.map((c) => c.k)]);
  r.retention.cohorts.forEach((c) => rel.push([c.n, [c.k]]));
  rel.push([r.attendance.n, [r.attendance.meetingRule.k]]);
  for (const o of r.outcomes) {
    const p = o.participants;
    rel.push([p.enrolled, [p.paired, p.missingBaseline, p.withdrawn, p.missingPost]]);
    rel.push([o.paired.n, [o.paired.improved, o.paired.unchanged, o.paired.worsened]]);
    rel.push([o.baseline.n, [p.paired, p.withdrawn, p.missingPost]]);
    if (o.paired.mcid) rel.push([o.paired.n, [o.paired.mcid.k]]);
  }
  for (const s of r.satisfaction) rel.push([s.n, [s.satisfied.k]]);
  return rel;
}

describe('the assembled report at the default threshold of 11', () => {
  let report: OutcomeReport;
  beforeAll(async () => {
    const data = await new InMemoryOutcomeData(mscProgram(), largeCohort()).load({ registrationId: 'c', program: 'p' });
    report = assembleOutcomeReport(data, { threshold: 11, filters: {}, generatedAt: new Date() }).report;
  });

  it('prints no count from 1 to 10', () => {
    const counts: number[] = [];
    const COUNT_KEYS = new Set(['n', 'k', 'declined', 'awaiting', 'withdrawn', 'inProgress', 'enrolled', 'paired', 'missingBaseline', 'missingPost', 'improved', 'unchanged', 'worsened', 'zeros', 'raised', 'followedUp', 'total']);
    const walk = (v: unknown, key = ''): void => {
      if (Array.isArray(v)) v.forEach((x) => (typeof x === 'number' && ['counts', 'before', 'after'].includes(key) ? counts.push(x) : walk(x, key)));
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (typeof x === 'number' && COUNT_KEYS.has(k) ? counts.push(x) : walk(x, k)));
    };
    walk({ funnel: report.funnel, retention: report.retention, attendance: report.attendance, assessments: report.assessments, outcomes: report.outcomes, satisfaction: report.satisfaction, safety: report.safety });
    expect(counts.length).toBeGreaterThan(20);
    expect(counts.filter((c) => c > 0 && c < 11)).toEqual([]);
    // The 4 withdrawn (of 34 enrolled, 30 completed) are hidden, and so is one of the numbers that reveal them.
    expect(report.funnel.withdrawn).toEqual(S);
    expect([report.funnel.stages.enrolled.n, report.funnel.stages.completed.n, report.funnel.inProgress].some(isSuppressed)).toBe(true);
  });

  it('leaves no suppressed count recoverable by subtraction within or across tables', () => {
    for (const [total, parts] of relations(report)) {
      const terms = [total, ...parts];
      const hidden = terms.filter(isSuppressed).length;
      if (hidden !== 1) continue;
      const shownParts = parts.filter((p): p is number => !isSuppressed(p)).reduce((a, b) => a + b, 0);
      const revealed = isSuppressed(total) ? shownParts : (total as number) - shownParts;
      expect(revealed === 0 || revealed >= 11).toBe(true);
    }
  });

  it('suppresses figures derived from a suppressed count', () => {
    expect(report.retention.estimate === S || !isSuppressed(report.retention.k)).toBe(true);
    for (const o of report.outcomes) {
      if (isSuppressed(o.paired.n)) expect([o.paired.change.mean, o.paired.tTest.p, o.paired.cohenDz.estimate]).toEqual([S, S, S]);
      if (isSuppressed(o.paired.unchanged)) expect(o.paired.wilcoxon.nNonZero).toEqual(S);
    }
  });

  it('suppresses everything about a population smaller than the threshold', async () => {
    const data = await new InMemoryOutcomeData(PHQ9_ONLY, largeCohort().slice(30, 34)).load({ registrationId: 'c', program: 'p' });
    const small = assembleOutcomeReport(data, { threshold: 11, filters: {}, generatedAt: new Date() });
    expect(small.report.funnel.stages.enrolled.n).toEqual(S);
    expect(small.report.outcomes[0].paired.n).toEqual(0);
    expect(small.report.attendance.median).toEqual(S);
    expect(small.charts.pairs).toEqual({});
  });
});
