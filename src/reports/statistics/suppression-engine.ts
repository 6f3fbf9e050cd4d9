// Cell suppression over any set of counts tied by additive constraints (total = sum of parts): rows and
// columns of a cross-tab, a list and its total, or stages of a funnel. Primary suppression hides small
// counts; complementary suppression then hides more until no small count can be worked out from what
// is published, checked exactly by linear algebra rather than by a rule of thumb.

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

const TOLERANCE = 1e-9;

/**
 * Unknown entries whose value follows from the constraints and the published values: after reducing
 * the constraint matrix over the unknowns to row echelon form, a pivot variable is determined exactly
 * when its row has no free variable in it.
 */
function determined(constraints: readonly SumConstraint[], unknown: readonly boolean[]): Set<number> {
  const columns = unknown.flatMap((u, i) => (u ? [i] : []));
  const columnOf = new Map(columns.map((entry, col) => [entry, col]));
  const rows = constraints.map((c) => {
    const row = new Array<number>(columns.length).fill(0);
    if (unknown[c.total]) row[columnOf.get(c.total)!] += 1;
    for (const p of c.parts) if (unknown[p]) row[columnOf.get(p)!] -= 1;
    return row;
  });
  const pivots: number[] = [];
  for (let col = 0; col < columns.length && pivots.length < rows.length; col++) {
    const top = pivots.length;
    let best = top;
    for (let r = top + 1; r < rows.length; r++) if (Math.abs(rows[r][col]) > Math.abs(rows[best][col])) best = r;
    if (Math.abs(rows[best][col]) < TOLERANCE) continue;
    [rows[top], rows[best]] = [rows[best], rows[top]];
    const scale = rows[top][col];
    rows[top] = rows[top].map((x) => x / scale);
    for (let r = 0; r < rows.length; r++) {
      const factor = rows[r][col];
      if (r !== top && Math.abs(factor) > TOLERANCE) rows[r] = rows[r].map((x, j) => x - factor * rows[top][j]);
    }
    pivots.push(col);
  }
  const pivotSet = new Set(pivots);
  const result = new Set<number>();
  pivots.forEach((col, r) => {
    if (rows[r].every((x, j) => pivotSet.has(j) || Math.abs(x) < TOLERANCE)) result.add(columns[col]);
  });
  return result;
}

/**
 * Whether positivity pins a line's hidden parts: when zeros are shown, a suppressed published count is
 * known to be ≥ 1, so hidden parts that must add up to exactly their lower bounds (two suppressed cells
 * summing to 2) are each revealed even though the linear system leaves them free.
 */
function pinnedByPositivity(
  c: SumConstraint,
  entries: readonly Entry[],
  unknown: readonly boolean[],
  suppressZero: boolean,
): boolean {
  if (unknown[c.total]) return false;
  const hidden = c.parts.filter((p) => unknown[p]);
  const shown = c.parts.reduce((s, p) => (unknown[p] ? s : s + entries[p].value), 0);
  const lowerBound = hidden.reduce((s, p) => s + (entries[p].published && !suppressZero ? 1 : 0), 0);
  return hidden.length > 0 && entries[c.total].value - shown === lowerBound;
}

/** Returns which entries to suppress (primary and complementary). */
export function protect(
  entries: readonly Entry[],
  constraints: readonly SumConstraint[],
  opts: ProtectOptions,
): boolean[] {
  const small = entries.map((e) => e.value < opts.threshold && (e.value > 0 || opts.suppressZero));
  const suppressed = entries.map((e, i) => e.published && small[i]);
  const unknown = () => entries.map((e, i) => !e.published || suppressed[i]);
  const memberships = entries.map((_, i) => constraints.filter((c) => c.total === i || c.parts.includes(i)));
  const members = (c: SumConstraint) => [c.total, ...c.parts];
  const hiddenIn = (c: SumConstraint, u: readonly boolean[]) => members(c).filter((i) => u[i]);

  /** Best complement in a constraint: nonzero before zero, cells before totals, cycle-closing, smallest. */
  const complementIn = (c: SumConstraint, u: boolean[]): number | undefined => {
    const closes = (i: number) => memberships[i].some((o) => o !== c && members(o).some((j) => u[j]));
    const key = (i: number) => [
      entries[i].value === 0 ? 1 : 0,
      entries[i].isTotal ? 1 : 0,
      closes(i) ? 0 : 1,
      entries[i].value,
      i,
    ];
    const candidates = members(c).filter((i) => entries[i].published && !suppressed[i]);
    candidates.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const k = ka.findIndex((x, j) => x !== kb[j]);
      return k < 0 ? 0 : ka[k] - kb[k];
    });
    return candidates[0];
  };

  /** The line where the next complement must go, or undefined when nothing small can be worked out. */
  const leakingLines = (u: readonly boolean[]): SumConstraint[] | undefined => {
    // 1. A line with a single hidden entry that matters gives it away by subtraction.
    const lone = constraints.find((c) => {
      const hidden = hiddenIn(c, u);
      return hidden.length === 1 && (suppressed[hidden[0]] || small[hidden[0]]);
    });
    if (lone) return [lone];
    // 2. A line whose hidden small parts are pinned at their lower bounds.
    const pinned = constraints.find(
      (c) => pinnedByPositivity(c, entries, u, opts.suppressZero) && c.parts.some((p) => u[p] && small[p]),
    );
    if (pinned) return [pinned];
    // 3. A small entry pinned by the system as a whole (a "bridge" in a 2-D pattern); fix it in the
    //    line with the fewest hidden entries.
    const leaked = [...determined(constraints, u)].find((i) => small[i]);
    if (leaked === undefined) return undefined;
    return [...memberships[leaked]].sort((a, b) => hiddenIn(a, u).length - hiddenIn(b, u).length);
  };

  for (;;) {
    const u = unknown();
    const lines = leakingLines(u);
    if (!lines) return suppressed;
    const next =
      lines.map((c) => complementIn(c, u)).find((i) => i !== undefined) ??
      entries.findIndex((e, i) => e.published && !suppressed[i]);
    if (next < 0) return suppressed; // everything published is already hidden
    suppressed[next] = true;
  }
}
