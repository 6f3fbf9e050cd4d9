import { bandMovement, bandOf } from './bands.js';

// PHQ-9 severity bands (Kroenke, Spitzer & Williams 2001): 0–4, 5–9, 10–14, 15–19, 20–27.
const PHQ9 = [
  { label: 'minimal', min: 0 },
  { label: 'mild', min: 5 },
  { label: 'moderate', min: 10 },
  { label: 'moderately severe', min: 15 },
  { label: 'severe', min: 20 },
];

describe('bandMovement', () => {
  it('puts scores on band edges in the upper band', () => {
    expect([0, 4, 5, 9, 10, 14, 15, 19, 20, 27].map((s) => bandOf(s, PHQ9))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(bandOf(-1, PHQ9)).toBe(-1);
  });

  it('cross-tabulates band before against band after', () => {
    const pairs = [
      { before: 12, after: 6 }, // moderate → mild
      { before: 12, after: 11 }, // moderate → moderate
      { before: 16, after: 9 }, // moderately severe → mild
      { before: 7, after: 10 }, // mild → moderate
      { before: 3, after: 2 }, // minimal → minimal
      { before: 22, after: 14 }, // severe → moderate
    ];
    const m = bandMovement(pairs, PHQ9);
    expect(m.labels).toEqual(PHQ9.map((b) => b.label));
    expect(m.counts).toEqual([
      [1, 0, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
    ]);
    expect(m.before).toEqual([1, 1, 2, 1, 1]);
    expect(m.after).toEqual([1, 2, 3, 0, 0]);
    expect(m).toMatchObject({ total: 6, movedUp: 1, unchanged: 2, movedDown: 3, outOfRange: 0 });
  });

  it('counts out-of-range scores apart and rejects unordered bands', () => {
    const m = bandMovement([{ before: -2, after: 3 }, { before: 4, after: 4 }], PHQ9);
    expect(m).toMatchObject({ total: 1, outOfRange: 1 });
    expect(() => bandMovement([], [{ label: 'a', min: 5 }, { label: 'b', min: 5 }])).toThrow(RangeError);
    expect(() => bandMovement([], [])).toThrow(RangeError);
  });
});
