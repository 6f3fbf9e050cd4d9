import { useEffect, useState } from 'preact/hooks';
import { serverNow } from '../lib/server-clock';

// Largest delay setTimeout honours (a longer one fires at once).
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Renders the component again when the earliest of `times` (epoch ms, by the server's clock: server-clock.ts) still to
 * come is reached: a screen that shows what depends on the clock (a session's attendance may be recorded once it has
 * started) changes by itself when a coordinator opened it a few minutes before, without a reload.
 */
export function useRerenderAt(times: number[]): void {
  const [, setTick] = useState(0);
  const next = times.filter((t) => Number.isFinite(t) && t > serverNow()).reduce((a, b) => Math.min(a, b), Infinity);
  useEffect(() => {
    if (next === Infinity) return;
    const timer = setTimeout(() => setTick((n) => n + 1), Math.min(MAX_DELAY, next - serverNow() + 50));
    return () => clearTimeout(timer);
  }, [next]);
}
