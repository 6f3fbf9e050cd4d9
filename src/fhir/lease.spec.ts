import { Lease } from './lease.js';

describe('Lease (when the worker renews its claim)', () => {
  it('needs no renewal while more than the margin is left, counted from before the claim was sent', () => {
    const lease = new Lease(60_000, 1_000, 25_000);
    expect(lease.ample(1_000)).toBe(true);
    expect(lease.ample(35_999)).toBe(true);
    expect(lease.ample(36_000)).toBe(false);
    expect(lease.ample(90_000)).toBe(false);
  });

  it('renews before half the lease has passed when the margin (request timeout + 10 s) is more than half of it', () => {
    // A 70 s margin on a 100 s lease: a request started with 60 s left could outlive the lease, so it renews first.
    const lease = new Lease(100_000, 0, 70_000);
    expect(lease.ample(29_999)).toBe(true);
    expect(lease.ample(30_000)).toBe(false);
    expect(lease.ample(40_000)).toBe(false);
  });

  it('asks no sooner than the margin requires when the lease is long', () => {
    const lease = new Lease(300_000, 0, 70_000);
    expect(lease.ample(200_000)).toBe(true);
    expect(lease.ample(229_999)).toBe(true);
    expect(lease.ample(230_000)).toBe(false);
  });

  it('counts a renewal from when it was asked for', () => {
    const lease = new Lease(60_000, 0, 25_000);
    lease.renewed(40_000);
    expect(lease.ample(74_999)).toBe(true);
    expect(lease.ample(75_000)).toBe(false);
  });
});
