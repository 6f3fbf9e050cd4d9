// Satisfaction (per item: n, mean, SD, median, share rating 4–5) and safety alerts raised / followed up.
// Per-rating counts are never printed: with n shown, they would be five small cells to protect, and a
// mean over partly hidden counts could give them away.
import { describe } from '../statistics/index.js';
import type { OutcomeData, SatisfactionItem } from '../outcome-data.port.js';
import type { DisclosureTable } from '../disclosure.js';
import type { FunnelRefs } from './funnel.section.js';
import { guardAll, shareOf } from './figures.helpers.js';
import type { SatisfactionFigures } from './outcome-report.types.js';

/** Ratings of 4 and 5 (satisfied, probably/definitely yes, very helpful, agree) count as satisfied. */
export const SATISFIED_FROM = 4;

function ratings(item: SatisfactionItem): number[] {
  const values: number[] = [];
  for (const { rating, count } of item.counts) for (let i = 0; i < count; i++) values.push(rating);
  return values;
}

export function registerExperience(t: DisclosureTable, data: OutcomeData, refs: Pick<FunnelRefs, 'enrolled'>) {
  const items = data.satisfaction.map((item) => {
    const values = ratings(item);
    const n = t.count(values.length, 'total');
    const satisfied = t.count(values.filter((v) => v >= SATISFIED_FROM).length);
    t.share(satisfied, n, `satisfaction with ${item.linkId}`);
    // One latest form per enrolled participant: those who answered are some of the enrolled.
    t.within([n], refs.enrolled, `satisfaction with ${item.linkId}`);
    return { item, d: describe(values), n, satisfied };
  });
  if (data.safety.followedUp > data.safety.raised) throw new RangeError('report data is inconsistent: more alerts followed up than raised');
  const raised = t.count(data.safety.raised, 'total');
  const followedUp = t.count(data.safety.followedUp);
  t.share(followedUp, raised, 'safety alerts followed up');

  const render = () => ({
    satisfaction: items.map(({ item, d, n: ref, satisfied }): SatisfactionFigures => {
      const n = t.cell(ref);
      // On a 1–5 scale a mean with its SD (or the median) pins how many rated 4–5: shown only with that count.
      const split = [n, t.cell(satisfied)];
      return { linkId: item.linkId, text: item.text, n, mean: guardAll(split, d.mean), sd: guardAll(split, d.sd), median: guardAll(split, d.median), satisfied: shareOf(t.cell(satisfied), n) };
    }),
    safety: { raised: t.cell(raised), followedUp: t.cell(followedUp), share: shareOf(t.cell(followedUp), t.cell(raised)) },
  });
  return { render };
}
