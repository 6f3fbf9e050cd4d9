// Proof that a reader cannot pin a small count: another solution of every published sum in which the
// count differs. Starting from the true values, the count moves by one; every other count may move by one
// too, within the bounds a reader knows: a suppressed count is ≥ 1 when zeros are shown, a hidden
// remainder ≥ 0, and a count suppressed for being small stays ≤ k − 1 (a reader may guess it is small).
// A small constraint search finds the moves: each count's move is an interval within {−1, 0, +1}, every
// sum is kept bounds-consistent (so a dead end shows at once), and a broken sum is mended by branching on
// the counts that can mend it. It may also move a shown count, at a cost: the complements to suppress.

export interface Entry {
  value: number;
  /** false for counts never shown but derivable (e.g. losses between funnel stages). */
  published: boolean;
  /** Totals are suppressed as complements only when no other cell will do. */
  isTotal: boolean;
}

/** entries[total] = Σ entries[parts]. */
export interface SumConstraint {
  total: number;
  parts: readonly number[];
}

export interface ProtectOptions {
  /** Counts 1..threshold − 1 are small (default 11: 1–10 suppressed, as CMS's cell-size rule). */
  threshold: number;
  /** Also treat 0 as small; by default zeros are shown. */
  suppressZero: boolean;
}

/** Cost of suppressing a shown count as a complement: three cells before one total. */
const CELL_COST = 1;
const TOTAL_COST = 4;
/** Most complements one small count may need at once (a rectangle in a cross-tab costs 3). */
export const MAX_COMPLEMENT_COST = 12;
/**
 * Nodes per search. A proof is usually found in a few dozen; a search that runs longer is given up and
 * the count treated as pinned, which only suppresses more.
 */
const MAX_NODES = 2_000;

class OutOfNodes extends Error {}

export class WitnessSearch {
  /** Per constraint: [entry, coefficient]; the total counts +1, each part −1. */
  private readonly terms: [number, number][][];
  /** Per entry: [constraint, coefficient] of each sum it is in. */
  private readonly memberOf: [number, number][][];
  /** Each entry's possible move, an interval within [−1, 1]. */
  private readonly lo: Int8Array;
  private readonly hi: Int8Array;
  /** Per constraint, Σ coefficient·move over entries whose move is decided. */
  private readonly residual: Int32Array;
  /** Undo records: entry, previous lo, previous hi, previous spend. */
  private readonly trail: number[] = [];
  private suppressed: readonly boolean[] = [];
  private budget = 0;
  private spent = 0;
  private nodes = 0;
  private maxNodes = MAX_NODES;

  constructor(
    private readonly entries: readonly Entry[],
    constraints: readonly SumConstraint[],
    private readonly opts: ProtectOptions,
    private readonly small: readonly boolean[],
  ) {
    this.terms = constraints.map((c) => [[c.total, 1], ...c.parts.map((p): [number, number] => [p, -1])]);
    this.memberOf = entries.map(() => []);
    this.terms.forEach((t, k) => t.forEach(([i, coef]) => this.memberOf[i].push([k, coef])));
    this.lo = new Int8Array(entries.length);
    this.hi = new Int8Array(entries.length);
    this.residual = new Int32Array(constraints.length);
  }

  /**
   * Shown counts that must be suppressed too for entry s to have a second feasible value: [] when it
   * already has one, undefined when no set costing at most `maxCost` was found.
   */
  complementsFor(s: number, suppressed: readonly boolean[], maxCost = MAX_COMPLEMENT_COST): number[] | undefined {
    // The cheapest set first: no complement, then one cell, two cells, … (a total costs four cells).
    for (let budget = 0; budget <= maxCost; budget++) {
      if (this.attempt(s, suppressed, budget, MAX_NODES)) return this.movedWhere((i) => !this.isUnknown(i));
    }
    return undefined;
  }

  /**
   * Unknown counts a second solution for s moves, or undefined when none was found within `maxNodes`
   * (then s is treated as pinned, which only keeps more suppressed).
   */
  witness(s: number, suppressed: readonly boolean[], maxNodes = MAX_NODES): Set<number> | undefined {
    return this.attempt(s, suppressed, 0, maxNodes) ? new Set(this.movedWhere(() => true)) : undefined;
  }

  private movedWhere(keep: (i: number) => boolean): number[] {
    return this.entries.flatMap((_, i) => (this.lo[i] === this.hi[i] && this.lo[i] !== 0 && keep(i) ? [i] : []));
  }

  /** Moves s up, then down; true with the solution left in lo/hi when the broken sums can be mended. */
  private attempt(s: number, suppressed: readonly boolean[], budget: number, maxNodes: number): boolean {
    this.suppressed = suppressed;
    this.budget = budget;
    this.maxNodes = maxNodes;
    this.nodes = 0;
    for (const step of [1, -1]) {
      this.start();
      if (step < this.lo[s] || step > this.hi[s]) continue;
      try {
        if (this.narrow(s, step, step) && this.propagate(this.terms.map((_, k) => k)) && this.search()) return true;
      } catch (e) {
        if (!(e instanceof OutOfNodes)) throw e;
        return false;
      }
    }
    return false;
  }

  private isUnknown(i: number): boolean {
    return !this.entries[i].published || this.suppressed[i];
  }

  private cost(i: number): number {
    return this.entries[i].isTotal ? TOTAL_COST : CELL_COST;
  }

  /** Every entry's possible move from its bounds; shown counts stay put unless the budget allows them. */
  private start(): void {
    this.trail.length = 0;
    this.residual.fill(0);
    this.spent = 0;
    const lower = this.opts.suppressZero ? 0 : 1;
    this.entries.forEach((e, i) => {
      let lo = 0;
      let hi = 0;
      if (!e.published) {
        lo = e.value >= 1 ? -1 : 0;
        hi = 1;
      } else if (this.suppressed[i]) {
        lo = e.value - 1 >= lower ? -1 : 0;
        hi = !this.small[i] || e.value + 1 <= this.opts.threshold - 1 ? 1 : 0;
      } else if (e.value !== 0 && this.cost(i) <= this.budget) {
        // A shown count may become a complement: never a zero (readers know a suppressed count is ≥ 1).
        lo = e.value - 1 >= lower ? -1 : 0;
        hi = 1;
      }
      this.lo[i] = lo;
      this.hi[i] = hi;
    });
    // Decided entries (those that cannot move) count in the residuals from the start: they are all 0.
  }

  /** Narrows entry i's move to [lo, hi] ∩ its interval; false when nothing is left. */
  private narrow(i: number, lo: number, hi: number): boolean {
    const nlo = Math.max(this.lo[i], lo);
    const nhi = Math.min(this.hi[i], hi);
    if (nlo > nhi) return false;
    if (nlo === this.lo[i] && nhi === this.hi[i]) return true;
    this.trail.push(i, this.lo[i], this.hi[i], this.spent);
    this.lo[i] = nlo;
    this.hi[i] = nhi;
    if (nlo === nhi && nlo !== 0) {
      for (const [k, coef] of this.memberOf[i]) this.residual[k] += coef * nlo;
      if (!this.isUnknown(i)) this.spent += this.cost(i);
    }
    return this.spent <= this.budget;
  }

  private undoTo(mark: number): void {
    while (this.trail.length > mark) {
      const spent = this.trail.pop()!;
      const hi = this.trail.pop()!;
      const lo = this.trail.pop()!;
      const i = this.trail.pop()!;
      if (this.lo[i] === this.hi[i] && this.lo[i] !== 0) for (const [k, coef] of this.memberOf[i]) this.residual[k] -= coef * this.lo[i];
      this.lo[i] = lo;
      this.hi[i] = hi;
      this.spent = spent;
    }
  }

  /** Bounds consistency of Σ coef·move = 0 over the queued sums; false on a dead end. */
  private propagate(queue: number[]): boolean {
    const queued = new Set(queue);
    while (queue.length) {
      const k = queue.pop()!;
      queued.delete(k);
      let min = 0;
      let max = 0;
      for (const [i, c] of this.terms[k]) {
        min += c > 0 ? this.lo[i] : -this.hi[i];
        max += c > 0 ? this.hi[i] : -this.lo[i];
      }
      if (min > 0 || max < 0) return false;
      for (const [i, c] of this.terms[k]) {
        if (this.lo[i] === this.hi[i]) continue;
        const ownMin = c > 0 ? this.lo[i] : -this.hi[i];
        const ownMax = c > 0 ? this.hi[i] : -this.lo[i];
        // c·move ∈ [−(max − ownMax), −(min − ownMin)]
        const a = ownMax - max;
        const b = ownMin - min;
        const [lo, hi] = c > 0 ? [a, b] : [-b, -a];
        if (lo <= this.lo[i] && hi >= this.hi[i]) continue;
        const spent = this.spent;
        if (!this.narrow(i, lo, hi)) return false;
        for (const [other] of this.memberOf[i]) {
          if (queued.has(other)) continue;
          queued.add(other);
          queue.push(other);
        }
        if (this.spent !== spent && !this.capShown()) return false;
      }
    }
    return true;
  }

  /** Once complements are spent, shown counts that no longer fit the budget stay put. */
  private capShown(): boolean {
    for (let i = 0; i < this.entries.length; i++) {
      if (this.isUnknown(i) || this.lo[i] === this.hi[i] || this.spent + this.cost(i) <= this.budget) continue;
      if (!this.narrow(i, 0, 0)) return false;
    }
    return true;
  }

  /** Branches on the broken sum with fewest ways to mend it. */
  private search(): boolean {
    if (++this.nodes > this.maxNodes) throw new OutOfNodes();
    let best = -1;
    let fewest = Infinity;
    for (let k = 0; k < this.terms.length; k++) {
      const r = this.residual[k];
      if (r === 0) continue;
      let n = 0;
      for (const [i, c] of this.terms[k]) if (this.lo[i] !== this.hi[i] && (r > 0 ? (c > 0 ? this.lo[i] < 0 : this.hi[i] > 0) : c > 0 ? this.hi[i] > 0 : this.lo[i] < 0)) n++;
      if (n < fewest) {
        fewest = n;
        best = k;
      }
    }
    if (best < 0) return true; // every sum holds with the undecided counts left where they are
    const r = this.residual[best];
    const options = this.terms[best]
      .filter(([i]) => this.lo[i] !== this.hi[i])
      .map(([i, c]): [number, number] => [i, r > 0 ? -c : c])
      .filter(([i, step]) => step >= this.lo[i] && step <= this.hi[i])
      .sort(([a], [b]) => this.rank(a) - this.rank(b) || this.memberOf[a].length - this.memberOf[b].length || this.entries[a].value - this.entries[b].value || a - b);
    const mark = this.trail.length;
    for (const [i, step] of options) {
      const before = this.trail.length;
      if (this.narrow(i, step, step) && this.propagate(this.memberOf[i].map(([k]) => k)) && this.capShown() && this.search()) return true;
      this.undoTo(before);
      // Every solution moving i this way was just explored: the rest leave it out.
      const [lo, hi] = step > 0 ? [-1, 0] : [0, 1];
      if (!this.narrow(i, lo, hi) || !this.propagate(this.memberOf[i].map(([k]) => k))) break;
    }
    this.undoTo(mark);
    return false;
  }

  /** Hidden remainders mend a sum best, then suppressed counts, then shown cells, then totals. */
  private rank(i: number): number {
    const e = this.entries[i];
    return !e.published ? 0 : this.suppressed[i] ? 1 : e.isTotal ? 3 : 2;
  }
}
