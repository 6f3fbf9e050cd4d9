import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IdleGc, idleGcMiddleware, MIN_GROWTH_BYTES, type IdleTimers } from './idle-gc.js';

/** Timers driven by hand: `fire()` runs the armed callback as if its delay had passed. */
function handTimers() {
  let armed: { fn: () => void; ms: number } | undefined;
  const timers: IdleTimers = {
    setTimeout: (fn, ms) => {
      if (armed) throw new Error('a second timer armed while one is pending');
      armed = { fn, ms };
      return armed;
    },
    clearTimeout: (h) => {
      if (h === armed) armed = undefined;
    },
  };
  return {
    timers,
    armed: () => armed,
    fire() {
      const t = armed;
      if (!t) throw new Error('no timer armed');
      armed = undefined;
      t.fn();
    },
  };
}

const MB = 2 ** 20;

/** `rss`: the resident size the IdleGc reads; by default it grows 64 MB a read (every quiet spell is worth a collection). */
function setup(idleMs = 5000, rss: () => number = (() => {
  let bytes = 0;
  return () => (bytes += 64 * MB);
})()) {
  const clock = handTimers();
  const collected: number[] = [];
  const errors: unknown[] = [];
  let fail = false;
  const gc = new IdleGc(
    idleMs,
    () => {
      collected.push(1);
      return fail ? Promise.reject(new Error('inspector closed')) : Promise.resolve();
    },
    (e) => errors.push(e),
    clock.timers,
    rss,
  );
  return { gc, clock, collected, errors, failNext: () => (fail = true) };
}

describe('IdleGc', () => {
  it('collects once after a whole quiet period following a request, and not again until the next request', () => {
    const { gc, clock, collected } = setup();
    expect(clock.armed()).toBeUndefined(); // nothing to collect before any request
    gc.started(true);
    gc.ended();
    expect(clock.armed()?.ms).toBe(5000);
    clock.fire(); // the request ended within this period: not yet a quiet one
    expect(collected).toHaveLength(0);
    clock.fire(); // a whole period with nothing
    expect(collected).toHaveLength(1);
    expect(clock.armed()).toBeUndefined(); // off until the next request
    gc.started(true);
    gc.ended();
    clock.fire();
    clock.fire();
    expect(collected).toHaveLength(2);
  });

  it('lets a quiet spell pass without a collection when the process has grown little since the last one', async () => {
    let rss = 300 * MB;
    const { gc, clock, collected } = setup(5000, () => rss);
    /** A request, then a quiet spell; `left`: the resident size once a collection has run. */
    const quietSpellAfterARequest = async (left = rss) => {
      gc.started(true);
      gc.ended();
      clock.fire();
      clock.fire();
      rss = left;
      await new Promise((r) => setImmediate(r)); // a collection's promise has settled
    };
    await quietSpellAfterARequest(140 * MB); // the first quiet spell always collects
    expect(collected).toHaveLength(1);
    rss = 140 * MB + MIN_GROWTH_BYTES - 1; // a screen or two since
    await quietSpellAfterARequest();
    expect(collected).toHaveLength(1); // measured from what the last collection left (140 MB), not from 300 MB
    expect(clock.armed()).toBeUndefined(); // and off until the next request, as after a collection
    rss = 140 * MB + MIN_GROWTH_BYTES; // a burst
    await quietSpellAfterARequest(150 * MB);
    expect(collected).toHaveLength(2);
    // The process gives memory back by itself (V8's own collections): growth counts from there, not from 150 MB.
    rss = 120 * MB;
    await quietSpellAfterARequest();
    expect(collected).toHaveLength(2);
    rss = 120 * MB + MIN_GROWTH_BYTES;
    await quietSpellAfterARequest();
    expect(collected).toHaveLength(3);
  });

  it('tries again after a failed collection, however little the process grew since', async () => {
    const rss = 300 * MB;
    const { gc, clock, collected, errors, failNext } = setup(5000, () => rss);
    failNext();
    gc.started(true);
    gc.ended();
    clock.fire();
    clock.fire();
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    gc.started(true);
    gc.ended();
    clock.fire();
    clock.fire();
    expect(collected).toHaveLength(2);
  });

  it('never collects while requests keep arriving or one is still in flight', () => {
    const { gc, clock, collected } = setup();
    gc.started(true);
    for (let i = 0; i < 5; i++) {
      gc.started(true);
      gc.ended();
      clock.fire();
    }
    expect(collected).toHaveLength(0);
    // One long request still running (a report): quiet periods pass, but no collection under it.
    clock.fire();
    clock.fire();
    expect(collected).toHaveLength(0);
    gc.ended();
    clock.fire();
    expect(collected).toHaveLength(0);
    clock.fire();
    expect(collected).toHaveLength(1);
  });

  it('lets health probes postpone a collection but never start one', () => {
    const { gc, clock, collected } = setup();
    gc.started(false);
    gc.ended();
    expect(clock.armed()).toBeUndefined();
    gc.started(true);
    gc.ended();
    clock.fire();
    gc.started(false); // a probe during the quiet period
    gc.ended();
    clock.fire();
    expect(collected).toHaveLength(0);
    clock.fire();
    expect(collected).toHaveLength(1);
    gc.started(false); // probes after the collection arm nothing
    gc.ended();
    expect(clock.armed()).toBeUndefined();
  });

  it('reports a failed collection without throwing, and stops cleanly', async () => {
    const { gc, clock, collected, errors, failNext } = setup();
    failNext();
    gc.started(true);
    gc.ended();
    clock.fire();
    clock.fire();
    await new Promise((r) => setImmediate(r)); // the rejection's handler has run
    expect(collected).toHaveLength(1);
    expect(errors).toHaveLength(1);
    gc.started(true);
    expect(clock.armed()).toBeDefined();
    gc.stop();
    expect(clock.armed()).toBeUndefined();
  });

  it('arms nothing after stop, even for requests still draining', () => {
    const { gc, clock, collected } = setup();
    gc.started(true);
    gc.stop();
    expect(clock.armed()).toBeUndefined();
    gc.ended();
    gc.started(true); // a request that was already accepted when the service began stopping
    gc.ended();
    expect(clock.armed()).toBeUndefined();
    expect(collected).toHaveLength(0);
  });
});

describe('idleGcMiddleware', () => {
  it('counts a request from its start to its response closing, and arms only for non-probe paths', () => {
    const { gc, clock, collected } = setup();
    const mw = idleGcMiddleware(gc);
    const through = (url: string) => {
      const res = new EventEmitter();
      let passed = false;
      mw({ url } as IncomingMessage, res as unknown as ServerResponse, () => (passed = true));
      expect(passed).toBe(true);
      return () => res.emit('close');
    };
    through('/health/live')();
    through('/metrics')();
    expect(clock.armed()).toBeUndefined();
    const close = through('/api/questionnaires');
    clock.fire();
    clock.fire();
    expect(collected).toHaveLength(0); // still in flight
    close();
    clock.fire();
    clock.fire();
    expect(collected).toHaveLength(1);
  });
});
