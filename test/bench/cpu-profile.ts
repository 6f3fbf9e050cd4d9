import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
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
 * Self time from the V8 profile(s) that `node --cpu-prof` wrote into `dir`: the top functions and the top
 * places (package or file). Sample-based: each sample's interval is charged to the frame on top of the stack.
 */
export function summarizeCpuProfiles(dir: string, top = 15): { functions: SelfTime[]; places: SelfTime[]; totalMs: number } {
  const byFn = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
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
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }));
  return { functions: rank(byFn), places: rank(byPlace), totalMs: total / 1000 };
}
