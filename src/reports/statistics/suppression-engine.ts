// Cell suppression over any set of counts tied by additive constraints (total = sum of parts): rows and
// columns of a cross-tab, a list and its total, stages of a funnel, and all the tables of a report at once.
// Primary suppression hides small counts; complementary suppression then hides more until every small
// count — shown or only derivable — has at least two values consistent with everything published, the
// integer constraints and the bounds a reader knows (see suppression-witness.ts). Sound by construction:
// a count is left alone only with a second solution in hand.
import { WitnessSearch, type Entry, type ProtectOptions, type SumConstraint } from './suppression-witness.js';

export type { Entry, ProtectOptions, SumConstraint } from './suppression-witness.js';

/** Nodes for each proof while releasing complements. */
const RELEASE_NODES = 300;

/** Returns which entries to suppress (primary and complementary). */
export function protect(entries: readonly Entry[], constraints: readonly SumConstraint[], opts: ProtectOptions): boolean[] {
  const small = entries.map((e) => e.value < opts.threshold && (e.value > 0 || opts.suppressZero));
  const suppressed = entries.map((e, i) => e.published && small[i]);
  const search = new WitnessSearch(entries, constraints, opts, small);
  const memberOf = entries.map((_, i) => constraints.filter((c) => c.total === i || c.parts.includes(i)));
  // Smallest first: a 1 has the least room and decides most complements.
  const sensitive = entries.map((_, i) => i).filter((i) => small[i]).sort((a, b) => entries[a].value - entries[b].value || a - b);
  const complements: number[] = [];

  /** Shown, non-zero counts in the sums around s (the reach widens while none is left). */
  const around = (s: number): number[] => {
    const seen = new Set([s]);
    let frontier = [s];
    while (frontier.length) {
      const near = [...new Set(frontier.flatMap((i) => memberOf[i].flatMap((c) => [c.total, ...c.parts])))].filter((i) => !seen.has(i));
      near.forEach((i) => seen.add(i));
      const shown = near.filter((i) => entries[i].published && !suppressed[i] && entries[i].value !== 0);
      if (shown.length) return shown;
      frontier = near.filter((i) => suppressed[i] || !entries[i].published);
    }
    return [];
  };

  for (const s of sensitive) {
    for (;;) {
      const extra = search.complementsFor(s, suppressed);
      const add = extra ?? around(s); // no cheap proof: widen what is hidden and look again
      add.forEach((i) => (suppressed[i] = true));
      complements.push(...add);
      if (extra !== undefined || add.length === 0) break;
    }
  }
  return release(complements, sensitive, suppressed, search);
}

/**
 * Shows again any complement the final pattern does not need (greedy choices made early can be made
 * redundant by later ones), latest first, re-proving only the counts whose proof moved it.
 */
function release(complements: readonly number[], sensitive: readonly number[], suppressed: boolean[], search: WitnessSearch): boolean[] {
  const proofs = new Map(sensitive.map((s) => [s, search.witness(s, suppressed)]));
  for (const c of [...new Set(complements)].reverse()) {
    suppressed[c] = false;
    // A count without a proof (the search gave up) might lean on any complement: keep them all.
    const affected = sensitive.filter((s) => s !== c && (proofs.get(s)?.has(c) ?? true));
    const redone = new Map<number, Set<number> | undefined>();
    for (const s of affected) {
      // A short search: failing here only keeps the complement.
      redone.set(s, search.witness(s, suppressed, RELEASE_NODES));
      if (!redone.get(s)) break;
    }
    if ([...redone.values()].every((w) => w !== undefined)) redone.forEach((w, s) => proofs.set(s, w));
    else suppressed[c] = true;
  }
  return suppressed;
}
