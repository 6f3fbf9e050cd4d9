import { deriveOrSuppress, isSuppressed, SUPPRESSED, suppressFunnel, suppressList } from './suppression.js';

const S = SUPPRESSED;

describe('suppressList (a list of counts with its total)', () => {
  it('adds the next smallest cell when one small cell could be recovered from the total', () => {
    // How 71 referrals ended: enrolled 25, declined 4, ineligible 30, not reached 12.
    expect(suppressList([25, 4, 30, 12])).toEqual({ cells: [25, S, 30, S], total: 71 });
  });

  it('needs no complement when two cells are already small', () => {
    expect(suppressList([25, 4, 30, 6])).toEqual({ cells: [25, S, 30, S], total: 65 });
  });

  it('shows zeros by default and never uses a zero as the complement', () => {
    // A hidden 0 next to a hidden 3 would give the 3 away (their sum is 3, and a hidden cell is ≥ 1).
    expect(suppressList([0, 3, 40, 50])).toEqual({ cells: [0, S, S, 50], total: 93 });
  });

  it('suppresses zeros too when asked, with their complement', () => {
    expect(suppressList([0, 25, 30])).toEqual({ cells: [0, 25, 30], total: 55 });
    expect(suppressList([0, 25, 30], { suppressZero: true })).toEqual({ cells: [S, S, 30], total: 55 });
  });

  it('hides a third cell when two hidden cells could only be 1 and 1', () => {
    expect(suppressList([1, 1, 40, 50])).toEqual({ cells: [S, S, S, 50], total: 92 });
  });

  it('honours the threshold: k = 11 hides 1–10; k = 5 hides 1–4; k = 3 hides 1–2', () => {
    expect(suppressList([25, 10, 30, 11])).toEqual({ cells: [25, S, 30, S], total: 76 });
    expect(suppressList([25, 4, 30, 12], { threshold: 5 })).toEqual({ cells: [25, S, 30, S], total: 71 });
    expect(suppressList([25, 4, 30, 12], { threshold: 3 })).toEqual({ cells: [25, 4, 30, 12], total: 71 });
    expect(() => suppressList([1], { threshold: 0 })).toThrow(RangeError);
    expect(() => suppressList([1.5])).toThrow(RangeError);
  });

  it('marks suppressed cells as { suppressed: true } in JSON', () => {
    expect(JSON.stringify(suppressList([25, 4, 30, 12]))).toBe(
      '{"cells":[25,{"suppressed":true},30,{"suppressed":true}],"total":71}',
    );
  });
});

describe('protection under the bounds a reader knows', () => {
  it('hides a third cell when two hidden small cells could only both be k − 1 (10 and 10 summing to 20)', () => {
    // A reader who guesses that suppressed counts are small (≤ 10) would pin both at 10.
    expect(suppressList([10, 10, 40, 50]).cells).toEqual([S, S, S, 50]);
  });

  it('leaves two small cells alone when each still has another value (4 and 6: 1–9 each)', () => {
    expect(suppressList([4, 6, 40, 50]).cells).toEqual([S, S, 40, 50]);
  });

  it('never hides a zero: readers know a suppressed count is at least 1', () => {
    const t = suppressList([0, 0, 3, 0]);
    expect(t.cells.slice(0, 2)).toEqual([0, 0]);
    expect(t.total).toEqual(S);
  });
});

describe('suppressFunnel (nested stages)', () => {
  it('hides a stage so that a small loss between stages cannot be worked out', () => {
    // referred 40 → screened 37 (3 lost) → enrolled 20 (17 lost) → completed 16 (4 lost).
    const shown = suppressFunnel([40, 37, 20, 16]);
    const losses = [3, 17, 4];
    losses.forEach((loss, i) => {
      if (loss < 11) expect(isSuppressed(shown[i]) || isSuppressed(shown[i + 1])).toBe(true);
    });
    expect(shown.filter(isSuppressed).length).toBeLessThan(4);
    expect(suppressFunnel([40, 25, 12])).toEqual([40, 25, 12]);
  });
});

describe('deriveOrSuppress', () => {
  it('suppresses a percentage or mean that depends on a suppressed count', () => {
    const percent = (part: number, whole: number) => (100 * part) / whole;
    expect(deriveOrSuppress([S, 71], percent)).toEqual(S);
    expect(deriveOrSuppress([25, 71], percent)).toBeCloseTo(35.2, 1);
    expect(deriveOrSuppress([S], () => 4.2)).toEqual({ suppressed: true });
  });
});
