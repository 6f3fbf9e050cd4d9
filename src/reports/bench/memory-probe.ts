// Peak memory while a benchmark phase runs, sampled every 20 ms (process.memoryUsage), since
// resourceUsage().maxRSS only knows the peak of the whole process.

export class MemoryProbe {
  peakRss = 0;
  peakHeap = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.sample(), 20);
    this.timer.unref();
  }

  sample(): void {
    const m = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
  }

  reset(): void {
    this.peakRss = 0;
    this.peakHeap = 0;
    this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Seconds since a performance.now() mark. */
export const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(3)} s`;
