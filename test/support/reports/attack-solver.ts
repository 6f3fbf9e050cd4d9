// The attacker's solver: integer linear equalities over named unknowns with bounds. For each unknown,
// linear programming (attack-lp.ts) gives its real range, which contains every integer solution: a range
// narrower than two whole numbers proves it pinned, and a vertex with whole-number coordinates proves a
// second value. What LP leaves open, an exact search settles: the equations closed under linear
// combination (reduced row echelon form, so a count pinned by a combination of lines — a "bridge" — shows
// up as one row), bounds propagation with integer rounding, and a depth-first search over the ranges
// (a guide value first, then the rest, propagating at every node). Written independently of the
// suppression engine, which it is meant to check.
import { Lp, type LpResult } from './attack-lp.js';

/** Σ coef·x = rhs over unknowns (published values already moved to rhs). */
export interface Equation {
  terms: [number, number][]; // [unknown index, coefficient]
  rhs: number;
}

/** Far above any count in these reports (at most a few hundred people): caps an unknown with no upper bound. */
export const CAP = 2_000;
const EPS = 1e-7;

export type Verdict =
  | { kind: 'pinned'; value: number }
  | { kind: 'free'; values: [number, number] }
  | { kind: 'infeasible' }
  | { kind: 'undecided' };

class Budget extends Error {}

/** Rows of the reduced row echelon form of the system (each a valid equation). */
function reduced(equations: readonly Equation[], size: number): Equation[] {
  const rows = equations.map((e) => {
    const row = new Array<number>(size + 1).fill(0);
    for (const [i, c] of e.terms) row[i] += c;
    row[size] = e.rhs;
    return row;
  });
  let r = 0;
  for (let col = 0; col < size && r < rows.length; col++) {
    const p = rows.findIndex((row, k) => k >= r && Math.abs(row[col]) > EPS);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p], rows[r]];
    const pivot = rows[r][col];
    // In place (the same arithmetic as building new rows, without the garbage).
    const top = rows[r];
    for (let j = 0; j <= size; j++) top[j] /= pivot;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      const f = row[col];
      if (k !== r && Math.abs(f) > EPS) for (let j = 0; j <= size; j++) row[j] -= f * top[j];
    }
    r++;
  }
  return rows.slice(0, r).map((row) => ({ terms: row.slice(0, size).flatMap((c, i): [number, number][] => (Math.abs(c) > EPS ? [[i, c]] : [])), rhs: row[size] }));
}

export class IntegerSystem {
  private readonly equations: Equation[];
  private readonly original: readonly Equation[];
  private readonly byVar: number[][];
  private lp: Lp | undefined;
  /** Bounds after propagating every equation once (null: infeasible); each search starts from them. */
  private root: { lo: number[]; hi: number[] } | null | undefined;
  /** Solutions found so far: two that differ in an unknown already prove it is not pinned. */
  private readonly pool: number[][] = [];

  /**
   * `guide`: values to try first when branching (the search stays near them), e.g. a known solution.
   * It only orders the search; what is feasible depends on the equations and bounds alone.
   */
  constructor(
    readonly lo: readonly number[],
    readonly hi: readonly number[],
    equations: readonly Equation[],
    private readonly guide?: readonly number[],
    private readonly maxNodes = 4_000,
  ) {
    // Dense combinations almost never pin a count and make every propagation step slow: keep sparse ones.
    this.equations = [...equations, ...reduced(equations, lo.length).filter((e) => e.terms.length <= 8)];
    this.original = equations;
    this.byVar = lo.map(() => []);
    this.equations.forEach((e, k) => e.terms.forEach(([i]) => this.byVar[i].push(k)));
  }

  /** Bounds consistency with integer rounding; false when some unknown has no value left. */
  private propagate(lo: number[], hi: number[], queue: number[]): boolean {
    const queued = new Set(queue);
    let steps = 0;
    while (queue.length) {
      if (++steps > 20_000) break; // slow creep only happens on infeasible systems; the search decides
      const k = queue.shift()!;
      queued.delete(k);
      const e = this.equations[k];
      let minSum = 0;
      let maxSum = 0;
      for (const [i, c] of e.terms) {
        minSum += c > 0 ? c * lo[i] : c * hi[i];
        maxSum += c > 0 ? c * hi[i] : c * lo[i];
      }
      if (minSum > e.rhs + EPS || maxSum < e.rhs - EPS) return false;
      for (const [i, c] of e.terms) {
        const restMin = minSum - (c > 0 ? c * lo[i] : c * hi[i]);
        const restMax = maxSum - (c > 0 ? c * hi[i] : c * lo[i]);
        // c·x ∈ [rhs − restMax, rhs − restMin]
        const a = (e.rhs - restMax) / c;
        const b = (e.rhs - restMin) / c;
        const nlo = Math.max(lo[i], Math.ceil(Math.min(a, b) - EPS));
        const nhi = Math.min(hi[i], Math.floor(Math.max(a, b) + EPS));
        if (nlo > nhi) return false;
        if (nlo !== lo[i] || nhi !== hi[i]) {
          lo[i] = nlo;
          hi[i] = nhi;
          for (const other of this.byVar[i]) {
            if (queued.has(other)) continue;
            queued.add(other);
            queue.push(other);
          }
        }
      }
    }
    return true;
  }

  /** Any solution within the bounds (already propagated), or null when there is none. */
  private search(lo: number[], hi: number[], nodes: { n: number }): number[] | null {
    if (++nodes.n > this.maxNodes) throw new Budget();
    let pick = -1;
    for (let i = 0; i < lo.length; i++) if (lo[i] < hi[i] && (pick < 0 || hi[i] - lo[i] < hi[pick] - lo[pick])) pick = i;
    if (pick < 0) return [...lo];
    // The guide's value first (else the lowest: counts are small), then the rest of the range.
    const g = Math.min(hi[pick], Math.max(lo[pick], this.guide?.[pick] ?? lo[pick]));
    const ranges = [[g, g], [g + 1, hi[pick]], [lo[pick], g - 1]].filter(([a, b]) => a <= b);
    for (const [a, b] of ranges) {
      const l = [...lo];
      const h = [...hi];
      l[pick] = a;
      h[pick] = b;
      if (!this.propagate(l, h, [...this.byVar[pick]])) continue;
      const found = this.search(l, h, nodes);
      if (found) return found;
    }
    return null;
  }

  private solution(over: Record<number, [number, number]> = {}): number[] | null {
    if (this.root === undefined) {
      const lo = [...this.lo];
      const hi = [...this.hi];
      this.root = this.propagate(lo, hi, this.equations.map((_, k) => k)) ? { lo, hi } : null;
    }
    if (!this.root) return null;
    const lo = [...this.root.lo];
    const hi = [...this.root.hi];
    const changed: number[] = [];
    for (const [i, [a, b]] of Object.entries(over)) {
      lo[+i] = Math.max(lo[+i], a);
      hi[+i] = Math.min(hi[+i], b);
      if (lo[+i] > hi[+i]) return null;
      changed.push(...this.byVar[+i]);
    }
    if (!this.propagate(lo, hi, changed)) return null;
    const found = this.search(lo, hi, { n: 0 });
    if (found) this.pool.push(found);
    return found;
  }

  private satisfies(x: readonly number[]): boolean {
    if (x.some((v, i) => v < this.lo[i] || v > this.hi[i])) return false;
    return this.equations.every((e) => Math.abs(e.terms.reduce((acc, [i, c]) => acc + c * x[i], 0) - e.rhs) < EPS);
  }

  /** Whether unknown i can take one value only, two or more, or none. */
  verdict(i: number): Verdict {
    this.lp ??= new Lp({ rows: this.original, lo: this.lo, hi: this.hi.map((h) => (h >= CAP ? Infinity : h)) });
    if (!this.lp.feasible) return { kind: 'infeasible' };
    try {
      if (!this.pool.length && this.guide && this.satisfies(this.guide)) this.pool.push([...this.guide]);
      const first = this.pool[0] ?? this.solution();
      if (!first) return { kind: 'infeasible' };
      const v = first[i];
      const seen = this.pool.find((x) => x[i] !== v);
      if (seen) return { kind: 'free', values: [v, seen[i]] };
      const [max, min] = [this.lp.extreme(i, 1), this.lp.extreme(i, -1)];
      const top = max.kind === 'optimal' ? max.value : Infinity;
      const bottom = min.kind === 'optimal' ? min.value : -Infinity;
      if (top < v + 1 - 1e-6 && bottom > v - 1 + 1e-6) return { kind: 'pinned', value: v };
      // Unbounded: a rational ray, scaled to whole numbers, moves i away from v.
      if (top === Infinity) return { kind: 'free', values: [v, v + 1] };
      for (const r of [max, min]) {
        const point = this.integral(r);
        if (point && point[i] !== v) return this.pool.push(point), { kind: 'free', values: [v, point[i]] };
      }
      const lo = Math.ceil(bottom - 1e-6);
      const hi = Math.floor(top + 1e-6);
      const other = (lo <= v - 1 ? this.solution({ [i]: [lo, v - 1] }) : null) ?? (v + 1 <= hi ? this.solution({ [i]: [v + 1, hi] }) : null);
      return other ? { kind: 'free', values: [v, other[i]] } : { kind: 'pinned', value: v };
    } catch (e) {
      if (e instanceof Budget) return { kind: 'undecided' };
      throw e;
    }
  }

  /** An LP optimum with whole-number coordinates that solves the system exactly, or undefined. */
  private integral(r: LpResult): number[] | undefined {
    if (r.kind !== 'optimal' || r.point.some((x) => Math.abs(x - Math.round(x)) > 1e-6)) return undefined;
    const point = r.point.map(Math.round);
    return this.satisfies(point) ? point : undefined;
  }
}
