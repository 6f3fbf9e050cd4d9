// One suppression problem for the whole report. The tables of a report share margins (the enrolled count
// is a funnel stage, the denominator of retention, of attendance and of every outcome's exclusions), so
// protecting each table on its own could still let a small cell be worked out across tables. Every count
// is registered here with every sum a reader could write down that ties it to others — the port's
// contract and the subsets a reader infers from the definitions — and the statistics core's engine
// solves them together (per connected component, which keeps each search small).
import { SUPPRESSED, type Cell } from './statistics/index.js';
import { protect, type Entry, type SumConstraint } from './statistics/suppression-engine.js';

/** A count registered in the table. */
export type Ref = number;

export type CountKind = 'cell' | 'total' | 'hidden';

export class DisclosureTable {
  private readonly entries: Entry[] = [];
  private readonly constraints: SumConstraint[] = [];
  private hidden: boolean[] | undefined;

  constructor(private readonly threshold: number) {
    if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError('threshold must be an integer ≥ 1');
  }

  /**
   * A count of people. `total`: a margin or an anchor many figures rest on (referred, a paired n),
   * suppressed as a complement only when nothing else will do; `hidden`: never printed but derivable
   * (a loss between stages), protected like a cell.
   */
  count(value: number, kind: CountKind = 'cell'): Ref {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`counts must be non-negative integers, got ${value}`);
    if (this.hidden) throw new Error('the table is already solved');
    this.entries.push({ value, published: kind !== 'hidden', isTotal: kind === 'total' });
    return this.entries.length - 1;
  }

  /** total = Σ parts; throws when the data breaks it, because suppression would then be unsound. */
  sum(total: Ref, parts: readonly Ref[], what = 'a sum'): void {
    const s = parts.reduce((acc, p) => acc + this.entries[p].value, 0);
    if (s !== this.entries[total].value) {
      throw new RangeError(`report data is inconsistent: ${what} is ${this.entries[total].value} but its parts add up to ${s}`);
    }
    if (parts.length) this.constraints.push({ total, parts: [...parts] });
  }

  /**
   * A hidden remainder r with total = part + r, for "k of n" figures: n − k people are as protected as k.
   * Returns r (undefined when it is zero).
   */
  share(part: Ref, total: Ref, what = 'a share'): Ref | undefined {
    const rest = this.entries[total].value - this.entries[part].value;
    if (rest < 0) throw new RangeError(`report data is inconsistent: ${what} has a part larger than its total`);
    const [r] = this.hiddenParts([rest]);
    this.sum(total, [part, ...(r === undefined ? [] : [r])], what);
    return r;
  }

  /**
   * A subset a reader can infer from the definitions (those reaching the MCID improved; a band moved up
   * means a higher score): total = Σ parts + a hidden remainder. Registered only when the data bears it
   * out, since it is a reader's inference rather than a contract of the port; returns whether it was.
   */
  within(parts: readonly Ref[], total: Ref | undefined, what = 'a subset'): boolean {
    const inside = parts.reduce((acc, p) => acc + this.entries[p].value, 0);
    const outer = total === undefined ? 0 : this.entries[total].value;
    if (inside > outer || total === undefined || parts.length === 0) return false;
    this.sum(total, [...parts, ...this.hiddenParts([outer - inside])], what);
    return true;
  }

  /**
   * Never-printed parts of a sum. A zero part is left out, which makes the sum an equality: readers know
   * it by bounds (started ≤ enrolled ≤ eligible pins enrolled when the outer two are equal), and an
   * unknown zero could be picked as a "complement" that hides nothing.
   */
  hiddenParts(values: readonly number[]): Ref[] {
    return values.filter((v) => v !== 0).map((v) => this.count(v, 'hidden'));
  }

  solve(): void {
    const hidden = new Array<boolean>(this.entries.length).fill(false);
    for (const component of this.components()) {
      const local = new Map(component.entries.map((e, i) => [e, i]));
      const result = protect(
        component.entries.map((e) => this.entries[e]),
        component.constraints.map((c) => ({ total: local.get(c.total)!, parts: c.parts.map((p) => local.get(p)!) })),
        { threshold: this.threshold, suppressZero: false },
      );
      result.forEach((h, i) => (hidden[component.entries[i]] = h));
    }
    this.hidden = hidden;
  }

  cell(ref: Ref): Cell {
    if (!this.hidden) throw new Error('solve() the table before reading cells');
    return this.hidden[ref] ? SUPPRESSED : this.entries[ref].value;
  }

  /** Entries linked through constraints (union-find), each with its constraints. */
  private components(): { entries: number[]; constraints: SumConstraint[] }[] {
    const parent = this.entries.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    for (const c of this.constraints) for (const p of c.parts) parent[find(p)] = find(c.total);
    const groups = new Map<number, { entries: number[]; constraints: SumConstraint[] }>();
    this.entries.forEach((_, i) => {
      const root = find(i);
      if (!groups.has(root)) groups.set(root, { entries: [], constraints: [] });
      groups.get(root)!.entries.push(i);
    });
    for (const c of this.constraints) groups.get(find(c.total))!.constraints.push(c);
    return [...groups.values()];
  }
}
