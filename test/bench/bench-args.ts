import { parseArgs } from 'node:util';

export const SCENARIOS = ['floor', 'frameworks', 'live', 'questionnaires', 'context', 'phq9', 'worklist', 'phq9-open', 'memory', 'pause', 'write-back', 'report'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchArgs {
  concurrency: number;
  /** Measured requests per closed-loop scenario; when absent, `durationS` seconds each. */
  requests?: number;
  durationS: number;
  warmup: number;
  openRate: number;
  openSeconds: number;
  idleWaitS: number;
  /** The `pause` scenario: seconds with no request before a screen is opened, and how many times. */
  pauseSeconds: number;
  pauses: number;
  /** Queued write-backs kept for the drain phase (the oldest); the rest are deleted first. */
  drainEntries: number;
  reportReferrals: number;
  only: Set<Scenario>;
  json?: string;
  cpuProf: boolean;
  /** Where to write the raw V8 profile of --cpu-prof (a .cpuprofile, for Chrome DevTools or a flame graph). */
  cpuProfOut?: string;
}

const HELP = `npm run bench:service -- [options]      (after npm run build)
  --concurrency N       closed-loop clients (default 4)
  --requests N          measured requests per closed-loop scenario (default: --duration instead)
  --duration S          seconds per closed-loop scenario (default 10)
  --warmup N            unmeasured requests before each scenario (default 50)
  --open-rate R         open-loop PHQ-9 submissions offered per second (default 100)
  --open-seconds S      open-loop duration (default 10)
  --idle-wait S         pause after load before idle RSS is read (default 15)
  --pause-seconds S     the pause scenario: seconds with no request before a screen is opened (default 15)
  --pauses N            the pause scenario: how many screens are opened after a pause (default 5)
  --drain-entries N     write-backs drained into the reference EHR: the N oldest the load queued (default 300)
  --report-referrals N  clinic size for report vs FHIR search; ~100 responses per referral (default 200 ≈ 20 000 responses)
  --only a,b            run only these: ${SCENARIOS.join(', ')} (floor always runs)
  --json FILE           also write the results as JSON
  --cpu-prof            sample the service's CPU (through its inspector) during the closed-loop scenarios; print the top self-time functions
  --cpu-prof-out FILE   with --cpu-prof, also write the raw profile (.cpuprofile: Chrome DevTools, speedscope)
  --tiny                a smoke run: few requests, short phases (checks the instrument, measures nothing)`;

export function benchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: 'string' },
      requests: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'open-rate': { type: 'string' },
      'open-seconds': { type: 'string' },
      'idle-wait': { type: 'string' },
      'pause-seconds': { type: 'string' },
      pauses: { type: 'string' },
      'drain-entries': { type: 'string' },
      'report-referrals': { type: 'string' },
      only: { type: 'string' },
      json: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'cpu-prof-out': { type: 'string' },
      tiny: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const num = (name: keyof typeof values, fallback: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, not "${raw}"`);
    return n;
  };
  const tiny = values.tiny === true;
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SCENARIOS];
  for (const s of only) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--only: unknown scenario "${s}" (${SCENARIOS.join(', ')})`);
  return {
    concurrency: Math.max(1, Math.floor(num('concurrency', tiny ? 2 : 4))),
    requests: values.requests !== undefined ? num('requests', 0) : tiny ? 20 : undefined,
    durationS: num('duration', 10),
    warmup: num('warmup', tiny ? 4 : 50),
    openRate: num('open-rate', tiny ? 10 : 100),
    openSeconds: num('open-seconds', tiny ? 1 : 10),
    idleWaitS: num('idle-wait', tiny ? 0 : 15),
    pauseSeconds: num('pause-seconds', tiny ? 0 : 15),
    pauses: Math.max(1, Math.floor(num('pauses', tiny ? 1 : 5))),
    drainEntries: Math.floor(num('drain-entries', tiny ? 30 : 300)),
    reportReferrals: num('report-referrals', tiny ? 10 : 200),
    only: new Set(['floor', ...only] as Scenario[]),
    json: values.json,
    cpuProf: values['cpu-prof'] === true || values['cpu-prof-out'] !== undefined,
    cpuProfOut: values['cpu-prof-out'],
  };
}
