interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Where a frame's code lives: a package under node_modules, our own file under dist/, or Node itself. */
function placeOf(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /\/dist\/(.*)$/.exec(url);
  if (ours) return ours[1];
  return url ? url.replace(/^node:/, 'node:') : '(native/VM)';
}

/**
 * Profiles another Node process through its inspector (started with `--inspect=127.0.0.1:<port>`), over the
 * DevTools protocol (`Profiler.start` / `Profiler.stop`), so that only the measured scenarios are sampled, not the
 * service's start. Node's global WebSocket (`--experimental-websocket` on Node 20) speaks to it.
 */
export async function startProfiler(inspectPort: number): Promise<{ stop(): Promise<CpuProfile> }> {
  const { call, close } = await inspect(inspectPort);
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 1000 });
  await call('Profiler.start');
  return {
    async stop() {
      const { profile } = (await call('Profiler.stop')) as { profile: CpuProfile };
      close();
      return profile;
    },
  };
}

export interface HeapUse {
  /** process.memoryUsage() of the service: V8's heap (total, used), memory outside it (external, arrayBuffers). */
  heapTotal: number;
  heapUsed: number;
  /** heapUsed after a full collection: what the service still holds. */
  heapLive: number;
  external: number;
  arrayBuffers: number;
  /** Each V8 heap space's size, in bytes. */
  spaces: Record<string, number>;
}

/** What the service's own memory is made of, through its inspector (where RSS goes: V8's heap or outside it). */
export async function heapUse(inspectPort: number): Promise<HeapUse> {
  const { call, close } = await inspect(inspectPort);
  try {
    // Runtime.evaluate runs in the service's main context, where `require` is absent (ESM): getBuiltinModule (Node ≥ 20.16).
    const expression = `JSON.stringify({ ...process.memoryUsage(), spaces: Object.fromEntries(process.getBuiltinModule('v8').getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size])) })`;
    const r = (await call('Runtime.evaluate', { expression, returnByValue: true })) as { result: { value: string } };
    const m = JSON.parse(r.result.value) as HeapUse;
    // What is still reachable: a full collection, then the heap's use again (after the RSS reading, which it would change).
    await call('HeapProfiler.collectGarbage');
    const after = (await call('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true })) as { result: { value: number } };
    return { heapTotal: m.heapTotal, heapUsed: m.heapUsed, heapLive: after.result.value, external: m.external, arrayBuffers: m.arrayBuffers, spaces: m.spaces };
  } finally {
    close();
  }
}

/** A DevTools protocol session with another Node process's inspector (Node's global WebSocket). */
async function inspect(inspectPort: number): Promise<{ call(method: string, params?: object): Promise<unknown>; close(): void }> {
  const [target] = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m);
  };
  let id = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const n = ++id;
      waiting.set(n, (m) => (m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result)));
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  return { call, close: () => ws.close() };
}

/** Self time from a V8 CPU profile: the top functions and the top places (package or file). */
export function summarizeCpuProfile(p: CpuProfile, top = 15): { functions: SelfTime[]; places: SelfTime[]; totalMs: number } {
  const byFn = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    const f = nodes.get(id)!.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') return;
    const where = placeOf(f.url);
    const key = `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    byPlace.set(where, (byPlace.get(where) ?? 0) + us);
    total += us;
  });
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }));
  return { functions: rank(byFn), places: rank(byPlace), totalMs: total / 1000 };
}
