// A small dense simplex (two phases, Bland's rule, so it cannot cycle) for the attacker: the least and
// greatest value an unknown takes over all real solutions of Σ a·y = b with lo ≤ y (≤ hi where given).
// Every integer solution lies inside that range, so a range of one value proves a count pinned, and a
// vertex with whole-number coordinates is an integer solution found for free.

const EPS = 1e-9;

export interface LpProblem {
  /** Rows Σ coef·y_i = rhs, as [index, coef] terms. */
  rows: readonly { terms: readonly [number, number][]; rhs: number }[];
  lo: readonly number[];
  /** Upper bounds; Infinity for none. */
  hi: readonly number[];
}

export type LpResult = { kind: 'infeasible' } | { kind: 'unbounded' } | { kind: 'optimal'; value: number; point: number[] };

/** A feasible basis of the problem (phase 1 done once), reused for every objective. */
export class Lp {
  private readonly n: number;
  private tableau: number[][] = [];
  private basis: number[] = [];
  private width: number;
  readonly feasible: boolean;

  constructor(private readonly p: LpProblem) {
    this.n = p.lo.length;
    // y = lo + z, z ≥ 0; an upper bound is a row z_i + s = hi − lo.
    const bounded = p.hi.flatMap((h, i) => (Number.isFinite(h) ? [i] : []));
    const rows: { coef: Map<number, number>; rhs: number }[] = p.rows.map((r) => {
      const coef = new Map<number, number>();
      for (const [i, c] of r.terms) coef.set(i, (coef.get(i) ?? 0) + c);
      const rhs = r.rhs - r.terms.reduce((acc, [i, c]) => acc + c * p.lo[i], 0);
      return { coef, rhs };
    });
    bounded.forEach((i, k) => rows.push({ coef: new Map([[i, 1], [this.n + k, 1]]), rhs: p.hi[i] - p.lo[i] }));
    const structural = this.n + bounded.length;
    // Columns: z, bound slacks, one artificial per row; last column the right-hand side.
    this.width = structural + rows.length + 1;
    this.tableau = rows.map((r, k) => {
      const sign = r.rhs < 0 ? -1 : 1;
      const row = new Array<number>(this.width).fill(0);
      for (const [j, c] of r.coef) row[j] = sign * c;
      row[structural + k] = 1;
      row[this.width - 1] = sign * r.rhs;
      return row;
    });
    this.basis = rows.map((_, k) => structural + k);
    // Phase 1: minimise the artificials (maximise their negated sum).
    const objective = new Array<number>(this.width - 1).fill(0);
    for (let k = 0; k < rows.length; k++) objective[structural + k] = -1;
    const phase1 = this.optimise(objective, this.width - 1);
    this.feasible = phase1 !== null && phase1 > -1e-7;
    if (this.feasible) this.driveOutArtificials(structural);
    // Artificial columns never enter again; a row whose artificial could not leave is redundant.
    const keep = this.basis.map((b) => b < structural);
    this.tableau = this.tableau.filter((_, k) => keep[k]).map((row) => [...row.slice(0, structural), row[this.width - 1]]);
    this.basis = this.basis.filter((_, k) => keep[k]);
    this.width = structural + 1;
  }

  private pivot(t: number[][], r: number, c: number): void {
    const pr = t[r];
    const pv = pr[c];
    for (let j = 0; j < pr.length; j++) pr[j] /= pv;
    for (let k = 0; k < t.length; k++) {
      if (k === r) continue;
      const f = t[k][c];
      if (Math.abs(f) < EPS) continue;
      const row = t[k];
      for (let j = 0; j < row.length; j++) row[j] -= f * pr[j];
    }
  }

  /** Maximises objective·x over the current tableau (in place); null when unbounded. */
  private optimise(objective: readonly number[], columns: number, t = this.tableau, basis = this.basis): number | null {
    for (let guard = 0; guard < 50_000; guard++) {
      // Reduced costs c_j − c_B·B⁻¹A_j; Bland: the lowest index with a positive one enters.
      let enter = -1;
      for (let j = 0; j < columns && enter < 0; j++) {
        if (basis.includes(j)) continue;
        let reduced = objective[j];
        for (let k = 0; k < t.length; k++) reduced -= objective[basis[k]] * t[k][j];
        if (reduced > EPS) enter = j;
      }
      if (enter < 0) return t.reduce((acc, row, k) => acc + objective[basis[k]] * row[row.length - 1], 0);
      let leave = -1;
      let best = Infinity;
      for (let k = 0; k < t.length; k++) {
        const a = t[k][enter];
        if (a <= EPS) continue;
        const ratio = t[k][t[k].length - 1] / a;
        if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[k] < basis[leave])) {
          best = ratio;
          leave = k;
        }
      }
      if (leave < 0) return null;
      this.pivot(t, leave, enter);
      basis[leave] = enter;
    }
    throw new Error('simplex did not converge');
  }

  /** After phase 1, pivots zero-valued artificials out of the basis where a structural column can enter. */
  private driveOutArtificials(structural: number): void {
    this.basis.forEach((b, k) => {
      if (b < structural) return;
      const j = this.tableau[k].findIndex((a, col) => col < structural && Math.abs(a) > 1e-7);
      if (j < 0) return;
      this.pivot(this.tableau, k, j);
      this.basis[k] = j;
    });
  }

  /** Maximises (sign = 1) or minimises (sign = −1) unknown i. */
  extreme(i: number, sign: 1 | -1): LpResult {
    if (!this.feasible) return { kind: 'infeasible' };
    const t = this.tableau.map((row) => [...row]);
    const basis = [...this.basis];
    const objective = new Array<number>(this.width - 1).fill(0);
    objective[i] = sign;
    const best = this.optimise(objective, this.width - 1, t, basis);
    if (best === null) return { kind: 'unbounded' };
    const z = new Array<number>(this.width - 1).fill(0);
    basis.forEach((b, k) => b < z.length && (z[b] = t[k][t[k].length - 1]));
    const point = this.p.lo.map((l, j) => l + z[j]);
    return { kind: 'optimal', value: point[i], point };
  }
}
