// Funnel (referred → … → completed), how referrals stand, reasons, and retention overall and per cohort.
import type { OutcomeData, ReasonCount } from '../outcome-data.port.js';
import type { DisclosureTable, Ref } from '../disclosure.js';
import { derive, ratio, shareOf } from './figures.helpers.js';
import { FUNNEL_STAGES, type FunnelSection, type Reason, type RetentionSection } from './outcome-report.types.js';

export interface FunnelRefs {
  enrolled: Ref;
  started: Ref;
  completed: Ref;
  withdrawn: Ref;
}

/** The funnel step each decline reason lies in (a reader can tell from the reasons' names). */
const REASON_STEP: Record<string, (typeof FUNNEL_STAGES)[number]> = {
  'declined-before-screening': 'screened',
  ineligible: 'eligible',
  'declined-after-screening': 'enrolled',
};

function registerReasons(t: DisclosureTable, total: Ref, reasons: readonly ReasonCount[], what: string): { refs: Ref[]; render: () => Reason[] } {
  const refs = reasons.map((r) => t.count(r.count));
  t.sum(total, refs, what);
  return { refs, render: () => reasons.map((r, i) => ({ code: r.code, display: r.display, n: t.cell(refs[i]) })) };
}

export function registerFunnel(t: DisclosureTable, data: OutcomeData) {
  const f = data.funnel;
  // Referred anchors the funnel; the other stages give way first when a complement is needed.
  const stage = Object.fromEntries(FUNNEL_STAGES.map((s) => [s, t.count(f[s], s === 'referred' ? 'total' : 'cell')])) as Record<(typeof FUNNEL_STAGES)[number], Ref>;
  // Stages are nested: the loss between two stages is never printed but follows by subtraction.
  const loss = new Map<string, Ref | undefined>();
  FUNNEL_STAGES.slice(1).forEach((s, i) => {
    const previous = FUNNEL_STAGES[i];
    if (f[s] > f[previous]) throw new RangeError(`report data is inconsistent: ${s} exceeds ${previous}`);
    loss.set(s, t.share(stage[s], stage[previous], `the funnel step ${previous} → ${s}`));
  });
  const declined = t.count(f.declined, 'total');
  const awaiting = t.count(f.awaiting);
  const withdrawn = t.count(f.withdrawn, 'total');
  const inProgress = t.count(f.inProgress);
  t.sum(stage.referred, [stage.enrolled, declined, awaiting], 'referred = enrolled + declined + awaiting');
  t.sum(stage.enrolled, [stage.completed, withdrawn, inProgress], 'enrolled = completed + withdrawn + in progress');
  const declineReasons = registerReasons(t, declined, data.declineReasons, 'the decline reasons');
  const withdrawalReasons = registerReasons(t, withdrawn, data.withdrawalReasons, 'the withdrawal reasons');
  // Those declined before screening are part of the referred-but-not-screened, and so on down the funnel.
  data.declineReasons.forEach((r, i) => REASON_STEP[r.code] && t.within([declineReasons.refs[i]], loss.get(REASON_STEP[r.code]), `decline reason ${r.code}`));

  // Retention per cohort: a cohorts × (completed, not completed) table with the funnel's totals as margins.
  const cohorts = data.cohorts.map((c) => {
    const enrolled = t.count(c.enrolled);
    const completed = t.count(c.completed);
    t.share(completed, enrolled, `cohort ${c.label}`);
    return { label: c.label, enrolled, completed };
  });
  if (cohorts.length) {
    t.sum(stage.enrolled, cohorts.map((c) => c.enrolled), 'the cohorts’ enrolled');
    t.sum(stage.completed, cohorts.map((c) => c.completed), 'the cohorts’ completed');
  }

  const render = (): { funnel: FunnelSection; retention: RetentionSection } => {
    const referred = t.cell(stage.referred);
    const stages = Object.fromEntries(
      FUNNEL_STAGES.map((s, i) => {
        const n = t.cell(stage[s]);
        const previous = i === 0 ? n : t.cell(stage[FUNNEL_STAGES[i - 1]]);
        return [s, { n, ofReferred: derive([n, referred], ratio), ofPrevious: derive([n, previous], ratio) }];
      }),
    ) as FunnelSection['stages'];
    return {
      funnel: {
        stages,
        declined: t.cell(declined),
        awaiting: t.cell(awaiting),
        withdrawn: t.cell(withdrawn),
        inProgress: t.cell(inProgress),
        declineReasons: declineReasons.render(),
        withdrawalReasons: withdrawalReasons.render(),
      },
      retention: {
        ...shareOf(t.cell(stage.completed), t.cell(stage.enrolled)),
        cohorts: cohorts.map((c) => ({ label: c.label, ...shareOf(t.cell(c.completed), t.cell(c.enrolled)) })),
      },
    };
  };
  const refs: FunnelRefs = { enrolled: stage.enrolled, started: stage.started, completed: stage.completed, withdrawn };
  return { refs, render };
}
