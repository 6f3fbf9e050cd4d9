import { backoffCeilingMs, backoffDelayMs, DEFAULT_BACKOFF, retryWindowMs } from './backoff.js';

describe('write-back backoff', () => {
  it('doubles from the 2 s base and stops at the 1 h cap', () => {
    expect([1, 2, 3, 4].map((a) => backoffCeilingMs(a))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffCeilingMs(11)).toBe(2048 * 1000);
    expect(backoffCeilingMs(12)).toBe(3_600_000);
    expect(backoffCeilingMs(1000)).toBe(3_600_000);
  });

  it('treats attempt numbers below 1 as the first', () => {
    expect(backoffCeilingMs(0)).toBe(2000);
    expect(backoffCeilingMs(-3)).toBe(2000);
  });

  it('jitters uniformly over [0, ceiling)', () => {
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.999999)).toBe(7999);
    for (let attempt = 1; attempt <= 30; attempt++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffDelayMs(attempt);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(backoffCeilingMs(attempt));
      }
    }
  });

  it('actually spreads the waits (not a constant)', () => {
    const seen = new Set(Array.from({ length: 100 }, () => backoffDelayMs(10)));
    expect(seen.size).toBeGreaterThan(50);
  });

  it('honours a custom policy (tests use milliseconds)', () => {
    expect(backoffCeilingMs(5, { baseMs: 10, capMs: 50 })).toBe(50);
    expect(backoffDelayMs(5, { baseMs: 10, capMs: 50 }, () => 0.5)).toBe(25);
  });

  it('gives the retry window documented beside it: 18 attempts ≈ 7.1 h worst, 3.6 h mean', () => {
    const w = retryWindowMs(18);
    expect(w.worst).toBe(25_694_000);
    expect(w.mean / 3_600_000).toBeCloseTo(3.57, 2);
    expect(retryWindowMs(59).mean).toBeGreaterThanOrEqual(86_400_000);
    expect(retryWindowMs(58).mean).toBeLessThan(86_400_000);
    expect(retryWindowMs(1).worst).toBe(0);
  });
});
