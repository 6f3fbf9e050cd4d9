import { Lease } from './lease.js';

describe('Lease (when the worker renews its claim)', () => {
  it('needs no renewal while more than half the lease is left, counted from before the claim was sent', () => {
    const lease = new Lease(60_000, 1_000);
    expect(lease.ample(1_000)).toBe(true);
    expect(lease.ample(30_999)).toBe(true);
    expect(lease.ample(31_000)).toBe(false);
    expect(lease.ample(90_000)).toBe(false);
  });

  it('counts a renewal from when it was asked for', () => {
    const lease = new Lease(60_000, 0);
    lease.renewed(40_000);
    expect(lease.ample(69_999)).toBe(true);
    expect(lease.ample(70_000)).toBe(false);
  });
});
