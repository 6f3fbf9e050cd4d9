import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { latencies, recordMs, type Latencies } from './latency.js';

/** One HTTP request of a scenario, as one signed-in person sends it. */
export interface Target {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** Requests answered 2xx. */
  ok: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  seconds: number;
  latency: Latencies;
  statuses: Record<string, number>;
}

export interface ClosedLoop {
  connections: number;
  /** A fixed number of requests (over all connections), or else… */
  amount?: number;
  /** …a fixed duration in seconds. */
  durationS?: number;
}

const TIMEOUT_S = 30;

/**
 * Closed loop: `connections` clients, each sending its next request when the previous one is answered. One
 * autocannon instance per connection, so each connection carries its own person's session (autocannon's
 * headers are per instance); latencies go into one HdrHistogram from autocannon's `response` events (its own
 * summary has no p95).
 */
export async function closedLoop(baseUrl: string, targets: Target[], o: ClosedLoop): Promise<LoadResult> {
  const latency = latencies();
  const statuses: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  const share = (i: number) => (o.amount === undefined ? undefined : Math.floor(o.amount / o.connections) + (i < o.amount % o.connections ? 1 : 0));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: o.connections }, (_, i) => {
      const t = targets[i % targets.length];
      const amount = share(i);
      if (amount === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${baseUrl}${t.path}`,
            method: t.method,
            headers: t.headers,
            body: t.body,
            connections: 1,
            timeout: TIMEOUT_S,
            ...(amount === undefined ? { duration: o.durationS ?? 10 } : { amount }),
          },
          (err, result) => {
            if (err) return reject(err);
            failed += result.errors + result.timeouts;
            resolve();
          },
        );
        instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
          statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
          if (statusCode >= 200 && statusCode < 300) {
            ok += 1;
            recordMs(latency, ms);
          } else failed += 1;
        });
      });
    }),
  );
  return { ok, errors: failed, seconds: (performance.now() - started) / 1000, latency, statuses };
}

export interface OpenLoop {
  /** Requests offered per second, on the clock, whatever the answers. */
  rate: number;
  durationS: number;
}

/**
 * Open loop: requests start on a fixed schedule (rate per second), never waiting for earlier answers; each
 * latency runs from the request's scheduled start, so time spent queued behind a slow server counts (no
 * coordinated omission). Hand-written: autocannon's `overallRate` throttles a closed loop (a connection still
 * waits for its answer), which hides exactly that queueing. Plain node:http with a keep-alive agent.
 */
export async function openLoop(baseUrl: string, targets: Target[], o: OpenLoop): Promise<LoadResult & { offered: number }> {
  const latency = latencies();
  const statuses: Record<string, number> = {};
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const offered = Math.round(o.rate * o.durationS);
  const interval = 1000 / o.rate;
  let ok = 0;
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < offered; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t = targets[i % targets.length];
    inFlight.push(
      send(agent, baseUrl, t).then(
        (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status >= 200 && status < 300) {
            ok += 1;
            recordMs(latency, performance.now() - due);
          } else errors += 1;
        },
        () => {
          statuses.error = (statuses.error ?? 0) + 1;
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { ok, errors, seconds: (performance.now() - started) / 1000, latency, statuses, offered };
}

/** One request; resolves with the status once the whole answer is read. */
export function send(agent: Agent, baseUrl: string, t: Target): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${t.path}`, { method: t.method, headers: t.headers, agent, timeout: TIMEOUT_S * 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(t.body);
  });
}

/**
 * A screen as the app opens it: its requests all at once, each on a new connection (as a browser after a pause);
 * the milliseconds until the last answer. Any answer other than 2xx fails the benchmark.
 */
export async function openScreen(baseUrl: string, screen: Target[]): Promise<number> {
  const agent = new Agent({ keepAlive: false });
  const started = performance.now();
  try {
    const statuses = await Promise.all(screen.map((t) => send(agent, baseUrl, t)));
    const took = performance.now() - started;
    if (statuses.some((s) => s < 200 || s >= 300)) throw new Error(`a request of the screen was answered ${statuses.join(', ')}`);
    return took;
  } finally {
    agent.destroy();
  }
}
