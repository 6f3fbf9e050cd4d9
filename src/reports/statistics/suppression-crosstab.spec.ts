import { Cell, isSuppressed, SUPPRESSED, suppressCrossTab, SuppressedCrossTab } from './suppression.js';

const S = SUPPRESSED;

/**
 * A brute-force attacker, independent of the engine's linear algebra: adds and subtracts every
 * combination of published lines (coefficients −1, 0, +1) and reports each hidden entry that ends up
 * alone in an equation whose other terms are all published, i.e. recoverable by subtraction.
 */
function recoverByLines(cells: Map<string, Cell>, lines: { total: string; parts: string[] }[]): Set<string> {
  const recovered = new Set<string>();
  for (let code = 0; code < 3 ** lines.length; code++) {
    const weight = new Map<string, number>();
    const add = (id: string, w: number) => weight.set(id, (weight.get(id) ?? 0) + w);
    let rest = code;
    lines.forEach((line) => {
      const c = (rest % 3) - 1;
      rest = Math.floor(rest / 3);
      if (c === 0) return;
      add(line.total, c);
      line.parts.forEach((p) => add(p, -c));
    });
    const hidden = [...weight].filter(([id, w]) => w !== 0 && isSuppressed(cells.get(id)!));
    if (hidden.length === 1) recovered.add(hidden[0][0]);
  }
  return recovered;
}

/** The attacker's view of a published cross-tab: ids r{i}c{j}, R{i}, C{j}, G. */
function attackCrossTab(t: SuppressedCrossTab): Set<string> {
  const cells = new Map<string, Cell>([['G', t.grandTotal]]);
  t.cells.forEach((row, i) => row.forEach((c, j) => cells.set(`r${i}c${j}`, c)));
  t.rowTotals.forEach((c, i) => cells.set(`R${i}`, c));
  t.columnTotals.forEach((c, j) => cells.set(`C${j}`, c));
  const rows = t.rowTotals.map((_, i) => ({ total: `R${i}`, parts: t.columnTotals.map((_, j) => `r${i}c${j}`) }));
  const cols = t.columnTotals.map((_, j) => ({ total: `C${j}`, parts: t.rowTotals.map((_, i) => `r${i}c${j}`) }));
  const margins = [
    { total: 'G', parts: t.rowTotals.map((_, i) => `R${i}`) },
    { total: 'G', parts: t.columnTotals.map((_, j) => `C${j}`) },
  ];
  return recoverByLines(cells, [...rows, ...cols, ...margins]);
}

/** Hidden small counts (1..10) of `counts` that the attacker recovers. */
function smallRecovered(counts: number[][], t: SuppressedCrossTab): string[] {
  return [...attackCrossTab(t)].filter((id) => {
    const m = /^r(\d+)c(\d+)$/.exec(id);
    const v = m ? counts[+m[1]][+m[2]] : undefined;
    return v !== undefined && v > 0 && v < 11;
  });
}

describe('suppressCrossTab (rows × columns with row, column and grand totals)', () => {
  it('completes a rectangle around one small cell and keeps every total', () => {
    const counts = [
      [30, 4, 15],
      [12, 25, 18],
      [20, 14, 40],
    ];
    const t = suppressCrossTab(counts);
    expect(t.cells).toEqual([
      [30, S, S],
      [12, 25, 18],
      [20, S, S],
    ]);
    expect(t.rowTotals).toEqual([49, 55, 74]);
    expect(t.columnTotals).toEqual([62, 43, 73]);
    expect(t.grandTotal).toBe(178);
    expect(smallRecovered(counts, t)).toEqual([]);
  });

  it('catches a hidden cell that every row and column rule misses (a bridge between two blocks)', () => {
    // Two blocks of small cells joined by one small cell (row 0, column 2): every row and column
    // holds ≥ 2 suppressed cells, yet rows 0 + 1 − columns 0 − 1 isolates the bridge.
    const counts = [
      [3, 4, 4, 30],
      [5, 2, 25, 20],
      [35, 40, 3, 6],
      [28, 22, 2, 7],
    ];
    const primaryOnly: SuppressedCrossTab = {
      cells: counts.map((r) => r.map((v) => (v < 11 ? S : v))),
      rowTotals: counts.map((r) => r.reduce((a, b) => a + b, 0)),
      columnTotals: counts[0].map((_, j) => counts.reduce((a, r) => a + r[j], 0)),
      grandTotal: counts.flat().reduce((a, b) => a + b, 0),
    };
    expect(smallRecovered(counts, primaryOnly)).toEqual(['r0c2']);
    const t = suppressCrossTab(counts);
    expect(smallRecovered(counts, t)).toEqual([]);
    expect(t.cells.flat().filter(isSuppressed).length).toBeGreaterThan(9);
  });

  it('suppresses totals when a small total leaves no other choice', () => {
    const counts = [
      [3, 0, 0],
      [20, 15, 30],
      [12, 25, 18],
    ];
    const t = suppressCrossTab(counts);
    expect(t.rowTotals[0]).toEqual(S);
    expect(t.rowTotals.filter(isSuppressed).length).toBeGreaterThanOrEqual(2);
    expect(t.cells[0]).toEqual([S, 0, 0]);
    expect(smallRecovered(counts, t)).toEqual([]);
  });

  it('leaves a table with no small cells alone', () => {
    const t = suppressCrossTab([
      [11, 0],
      [20, 30],
    ]);
    expect(t).toEqual({ cells: [[11, 0], [20, 30]], rowTotals: [11, 50], columnTotals: [31, 30], grandTotal: 61 });
  });
});

