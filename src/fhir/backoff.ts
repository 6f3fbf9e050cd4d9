/** Exponential backoff for write-back retries. Pure: no framework, no clock. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** Base 2 s, cap 1 h (the defaults of OUTBOX_BACKOFF_BASE_MS / OUTBOX_BACKOFF_CAP_MS). */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2000, capMs: 3_600_000 };

/** The upper bound of the wait after the `attempt`-th failed attempt (1-based): base·2^(attempt−1), capped. */
export function backoffCeilingMs(attempt: number, p: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n−1) overflows to Infinity for huge n, and Math.min then keeps the cap.
  return Math.min(p.capMs, p.baseMs * 2 ** (n - 1));
}

/**
 * "Full jitter" (AWS architecture blog): a uniform wait in [0, ceiling). Spreads the retries of many entries
 * that failed together (an EHR outage) instead of having them return in waves.
 */
export function backoffDelayMs(attempt: number, p: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(attempt, p));
}

/**
 * How long an entry keeps being retried before it goes dead, for `maxAttempts` attempts (so maxAttempts − 1
 * waits): the worst case (every wait at its ceiling) and the mean (full jitter halves it). Sending time is
 * not counted.
 *
 * With the defaults (base 2 s, cap 1 h, 18 attempts): waits 1–11 are capped by 2 s·2^(n−1) and sum to
 * 4 094 s; 2 s·2^11 = 4 096 s passes the cap, so waits 12–17 are 1 h each (21 600 s). Worst case
 * 25 694 s ≈ 7.1 h, mean ≈ 3.6 h. A longer EHR outage dead-letters entries (kept, and retried by an admin);
 * each extra attempt adds at most 1 h (30 min on average): 59 attempts give a day on average.
 */
export function retryWindowMs(maxAttempts: number, p: BackoffPolicy = DEFAULT_BACKOFF): { worst: number; mean: number } {
  let worst = 0;
  for (let attempt = 1; attempt < maxAttempts; attempt++) worst += backoffCeilingMs(attempt, p);
  return { worst, mean: worst / 2 };
}
