// Movement between severity bands (e.g. PHQ-9 minimal/mild/moderate/moderately severe/severe) from
// before to after: the from × to count matrix a clinician reads more easily than a mean change.

/** A band holds scores ≥ min and below the next band's min; bands are given lowest first. */
export interface Band {
  label: string;
  min: number;
}

export interface BandMovement {
  labels: string[];
  /** counts[from][to]: participants in band `from` before and band `to` after. */
  counts: number[][];
  /** Row totals (band before) and column totals (band after). */
  before: number[];
  after: number[];
  total: number;
  /** Pairs ending in a higher, the same, or a lower band; which is better depends on the instrument. */
  movedUp: number;
  unchanged: number;
  movedDown: number;
  /** Pairs with a score below the lowest band's min, left out of the matrix. */
  outOfRange: number;
}

/** Index of the band a score falls in, or −1 below the lowest band. */
export function bandOf(score: number, bands: readonly Band[]): number {
  if (!Number.isFinite(score)) throw new RangeError('scores must be finite numbers');
  let index = -1;
  for (let i = 0; i < bands.length && score >= bands[i].min; i++) index = i;
  return index;
}

/** Cross-tabulates each pair's band before against its band after. */
export function bandMovement(
  pairs: readonly { before: number; after: number }[],
  bands: readonly Band[],
): BandMovement {
  if (bands.length === 0) throw new RangeError('at least one band is needed');
  for (let i = 1; i < bands.length; i++) {
    if (!(bands[i].min > bands[i - 1].min)) throw new RangeError('band minimums must strictly increase');
  }
  const size = bands.length;
  const counts = bands.map(() => new Array<number>(size).fill(0));
  let movedUp = 0;
  let unchanged = 0;
  let movedDown = 0;
  let outOfRange = 0;
  for (const { before, after } of pairs) {
    const from = bandOf(before, bands);
    const to = bandOf(after, bands);
    if (from < 0 || to < 0) {
      outOfRange++;
      continue;
    }
    counts[from][to]++;
    if (to > from) movedUp++;
    else if (to < from) movedDown++;
    else unchanged++;
  }
  const before = counts.map((row) => row.reduce((s, c) => s + c, 0));
  const after = bands.map((_, j) => counts.reduce((s, row) => s + row[j], 0));
  const total = before.reduce((s, c) => s + c, 0);
  return { labels: bands.map((b) => b.label), counts, before, after, total, movedUp, unchanged, movedDown, outOfRange };
}
