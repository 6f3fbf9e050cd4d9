// Waiting on a condition, never on the clock: a test looks again until what it waits for holds. The deadline only
// stops a test that would never finish; it is generous enough for a machine whose cores are all busy, and no
// assertion depends on how long the wait took.

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Looks every `everyMs` until `done` holds; throws naming `what` after `timeoutMs`. */
export async function until(done: () => boolean | Promise<boolean>, what: string, { timeoutMs = 120_000, everyMs = 10 } = {}): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`Never happened: ${what}`);
    await sleep(everyMs);
  }
}
