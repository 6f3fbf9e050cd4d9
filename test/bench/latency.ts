import * as hdr from 'hdr-histogram-js';

/**
 * Latencies in microseconds in an HdrHistogram (3 significant digits): percentiles come from the library, not from
 * a sorted array of our own. One per scenario; `merge` adds the connections' histograms together.
 */
export type Latencies = hdr.Histogram;

export function latencies(): Latencies {
  // Pure JS (no WebAssembly): small, and the same on every Node version.
  return hdr.build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

export function recordMs(h: Latencies, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

/** A percentile in milliseconds (0 for an empty histogram). */
export function percentileMs(h: Latencies, p: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / 1000;
}
