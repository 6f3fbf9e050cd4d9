// `npm run bench:service` (after `npm run build`; `npm run bench` does both): the cost of one request, side by side
// with a bare node:http server in the same run. The BUILT service runs as a child process (DATABASE_URL when set,
// else its embedded database in a fresh data directory) with the sandbox EHR; real sessions come from the sandbox's
// launch. A benchmark, not a test: it prints numbers and asserts nothing about time. `--help` lists the options.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { EHR_PROFILES, ReferenceEhr } from '../support/reference-ehr/reference-ehr.js';
import { freePort, startService, waitFor200, type ServiceProcess } from '../support/service-process.js';
import { benchArgs, type BenchArgs, type Scenario } from './bench-args.js';
import { bootstrapAdmin, openClinic, pointWriteBacksAt, targets, type Clinic } from './clinic.js';
import { heapUse, startProfiler, summarizeCpuProfile } from './cpu-profile.js';
import { percentileMs } from './latency.js';
import { closedLoop, openLoop, openScreen, type LoadResult, type Target } from './load.js';
import { procCpuMs } from './proc-cpu.js';
import { procMemory } from './proc-memory.js';
import { reportVsFhirSearch, type ReportVsFhir } from './report-vs-fhir.js';
import { fixed, mb, ms, table } from './table.js';
import { answerRate, captureWrites, queue, repeatedWrites, replayDirect, trimQueue, untilDrained, WARM_WRITES } from './write-back.js';

const say = (line = '') => process.stdout.write(`${line}\n`);
/** The worker's OUTBOX_BATCH_SIZE during the drain (the default), and the direct replay's concurrency. */
const DRAIN_BATCH = 10;

interface Row {
  scenario: string;
  requests: number;
  errors: number;
  reqPerS: number;
  p50: number;
  p95: number;
  p99: number;
  ratioToFloor: number;
  /** The serving process's CPU (user + system) per answered request over the measured loop, in ms. */
  cpuMsPerRequest: number;
  /** On PostgreSQL, the CPU of the service's database connections (their backends) per answered request, in ms. */
  dbCpuMsPerRequest: number;
}

const rowOf = (scenario: string, r: LoadResult): Row => ({
  scenario,
  requests: r.ok + r.errors,
  errors: r.errors,
  reqPerS: r.ok / r.seconds,
  p50: percentileMs(r.latency, 50),
  p95: percentileMs(r.latency, 95),
  p99: percentileMs(r.latency, 99),
  ratioToFloor: NaN,
  cpuMsPerRequest: NaN,
  dbCpuMsPerRequest: NaN,
});

/** CPU used so far by each of the service's database backends (pid → ms); null when one cannot be read (not local). */
type BackendCpu = () => Promise<Map<number, number> | null>;

/** Whether a process of this machine is a PostgreSQL one (its command name). */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}

/** The backends' CPU between two readings: a backend that appeared meanwhile counts whole, one that left is lost. */
function backendCpuSpent(before: Map<number, number> | null, after: Map<number, number> | null): number {
  if (!before || !after) return NaN;
  let ms = 0;
  for (const [pid, cpu] of after) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}

/**
 * The database the service runs on: a fresh schema of DATABASE_URL (dropped afterwards), else embedded. On
 * PostgreSQL the service's connections carry the schema's name as their application_name, so their backends' CPU
 * (/proc, when the server runs on this machine) can be told from other clients' and counted per request: the
 * database's share of a request, which the service's own CPU/req does not show.
 */
async function serviceDatabase(): Promise<{ env: Record<string, string>; label: string; backendCpu?: BackendCpu; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { env: {}, label: 'embedded PGlite', close: async () => undefined };
  const schema = `bench_svc_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const named = new URL(url);
  named.searchParams.set('application_name', schema);
  let local: boolean | undefined;
  return {
    env: { DATABASE_URL: named.toString(), DB_SCHEMA: schema },
    label: 'PostgreSQL',
    async backendCpu() {
      // Only when the server runs on this machine, outside a container: its backends are then this machine's
      // processes named postgres (a container's pids would name other processes here, or none).
      if (local === undefined) {
        const [{ pid }] = (await admin.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows;
        local = isPostgres(pid);
      }
      if (!local) return null;
      const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [schema]);
      const cpu = new Map<number, number>();
      for (const { pid } of rows) {
        try {
          if (isPostgres(pid)) cpu.set(pid, procCpuMs(pid));
        } catch {
          // a backend that ended meanwhile: left out
        }
      }
      return cpu;
    },
    async close() {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** A floor server (`floor-server.js <port>`, or `framework-floor-server.js <kind> <port>`) as its own process. */
async function startFloor(script = 'floor-server.js', ...args: string[]): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(import.meta.dirname, script), ...args, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const FRAMEWORK_NEST = 'framework: NestJS, 1 route';
const FRAMEWORK_NEST_FASTIFY = 'framework: NestJS on Fastify, 1 route';
/** framework-floor-server.js's kinds, with their rows; after the table, the endpoints' shares of the two NestJS apps. */
const FRAMEWORKS = [
  ['express', 'framework: Express, 1 route'],
  ['nest', FRAMEWORK_NEST],
  ['fastify', 'framework: Fastify, 1 route'],
  ['nest-fastify', FRAMEWORK_NEST_FASTIFY],
] as const;
const SHARES = [
  [FRAMEWORK_NEST, 'the minimal NestJS app', 'ratioToNestFloor'],
  [FRAMEWORK_NEST_FASTIFY, 'the minimal NestJS-on-Fastify app', 'ratioToNestFastifyFloor'],
] as const;

class Bench {
  readonly rows: Row[] = [];
  result: Record<string, unknown> = {};
  /** The service's database backends' CPU, on PostgreSQL (set once the service runs). */
  backendCpu?: BackendCpu;

  constructor(private readonly a: BenchArgs) {}

  has(s: Scenario): boolean {
    return this.a.only.has(s);
  }

  /** Warm-up (unmeasured), then the measured closed loop. */
  async closed(scenario: string, base: string, t: Target[], pid: number | undefined): Promise<Row> {
    const { concurrency, requests, durationS, warmup } = this.a;
    if (warmup > 0) await closedLoop(base, t, { connections: concurrency, amount: warmup });
    const dbBefore = (await this.backendCpu?.()) ?? null;
    const cpuBefore = pid ? procCpuMs(pid) : NaN;
    const r = await closedLoop(base, t, { connections: concurrency, ...(requests !== undefined ? { amount: requests } : { durationS }) });
    const row = rowOf(scenario, r);
    row.cpuMsPerRequest = pid ? (procCpuMs(pid) - cpuBefore) / Math.max(1, r.ok + r.errors) : NaN;
    row.dbCpuMsPerRequest = backendCpuSpent(dbBefore, (await this.backendCpu?.()) ?? null) / Math.max(1, r.ok + r.errors);
    const floor = this.rows.find((x) => x.scenario === 'floor (bare node:http)');
    row.ratioToFloor = floor ? row.reqPerS / floor.reqPerS : 1; // the floor's own row: 1
    this.rows.push(row);
    if (r.errors) say(`  ${scenario}: ${r.errors} errors, statuses ${JSON.stringify(r.statuses)}`);
    return row;
  }
}

function printRows(rows: Row[]): void {
  say(
    table(
      ['scenario', 'requests', 'errors', 'req/s', 'p50', 'p95', 'p99', '× floor', 'CPU/req', 'DB CPU/req'],
      rows.map((r) => [r.scenario, String(r.requests), String(r.errors), fixed(r.reqPerS, 0), ms(r.p50), ms(r.p95), ms(r.p99), fixed(r.ratioToFloor, 3), ms(r.cpuMsPerRequest), Number.isNaN(r.dbCpuMsPerRequest) ? '-' : ms(r.dbCpuMsPerRequest)]),
    ),
  );
}

async function main(): Promise<void> {
  const a = benchArgs(process.argv.slice(2));
  const bench = new Bench(a);
  const floor = await startFloor();
  const db = await serviceDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'als-bench-'));
  const inspectPort = a.cpuProf ? await freePort() : undefined;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const issuer = `${base}/sandbox/fhir`;
  const env: Record<string, string> = {
    ...db.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    BOOTSTRAP_ADMINS: bootstrapAdmin(issuer),
    // The per-client rate limit (600 a minute by default) would measure itself: out of the way.
    RATE_LIMIT_MAX: '1000000000',
    // Write-backs wait in the queue during the load (the request path alone is measured); they drain later.
    OUTBOX_WORKER: 'false',
    ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
    // Runtime settings to compare (V8 flags, glibc's arenas), passed on when set.
    ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
    ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
    // The idle collection (default 5 s; IDLE_GC_SECONDS=0 shows the idle RSS without it).
    ...(process.env.IDLE_GC_SECONDS ? { IDLE_GC_SECONDS: process.env.IDLE_GC_SECONDS } : {}),
    // How long the pool keeps an idle database connection (the pause scenario compares settings).
    ...(process.env.DB_POOL_IDLE_MS ? { DB_POOL_IDLE_MS: process.env.DB_POOL_IDLE_MS } : {}),
  };
  const config = { ...a, only: [...a.only], database: db.label, cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, logLevel: env.LOG_LEVEL ?? 'info (default)', nodeOptions: env.NODE_OPTIONS, mallocArenaMax: env.MALLOC_ARENA_MAX, idleGcSeconds: env.IDLE_GC_SECONDS ?? '5 (default)', dbPoolIdleMs: env.DB_POOL_IDLE_MS ?? '(default)' };
  say(`service benchmark: ${db.label}, ${config.cpus} cores, Node ${process.version}, ${a.concurrency} clients, ${a.requests !== undefined ? `${a.requests} requests` : `${a.durationS} s`} per scenario after ${a.warmup} warm-up requests`);
  let svc: ServiceProcess | undefined;
  let ehr: ReferenceEhr | undefined;
  try {
    await bench.closed('floor (bare node:http)', floor.url, [{ method: 'GET', path: '/' }], floor.pid);
    await floor.stop();
    // What the framework alone allows: the same body from minimal Express, NestJS, Fastify and NestJS-on-Fastify apps
    // (one route each).
    if (bench.has('frameworks')) {
      for (const [kind, scenario] of FRAMEWORKS) {
        const f = await startFloor('framework-floor-server.js', kind);
        try {
          await bench.closed(scenario, f.url, [{ method: 'GET', path: '/' }], f.pid);
        } finally {
          await f.stop();
        }
      }
    }

    const t0 = performance.now();
    svc = startService(env, { keepChars: 20_000, nodeArgs: inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [] });
    await waitFor200(`${base}/health/ready`);
    say(`service ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    bench.backendCpu = db.backendCpu;
    const clinic: Clinic = await openClinic(base, issuer, a.concurrency);
    const t = targets(clinic);
    // Sampled from the first scenario to the last closed-loop one (warm-ups included), not during the start.
    const profiler = inspectPort ? await startProfiler(inspectPort) : undefined;

    if (bench.has('live')) await bench.closed('GET /health/live', base, t.live, svc.child.pid);
    if (bench.has('questionnaires')) await bench.closed('GET /api/questionnaires', base, t.questionnaires, svc.child.pid);
    if (bench.has('context')) await bench.closed('GET /api/context', base, t.context, svc.child.pid);
    if (bench.has('phq9')) await bench.closed('PHQ-9 submission (POST)', base, t.phq9, svc.child.pid);
    if (bench.has('worklist')) await bench.closed('coordinator worklist', base, t.worklist, svc.child.pid);
    const profile = await profiler?.stop();
    say();
    printRows(bench.rows);
    bench.result.closedLoop = bench.rows;
    const ours = bench.rows.filter((r) => !r.scenario.startsWith('floor') && !r.scenario.startsWith('framework'));
    for (const [scenario, label, key] of SHARES) {
      const nest = bench.rows.find((r) => r.scenario === scenario);
      if (!nest) continue;
      bench.result[key] = Object.fromEntries(ours.map((r) => [r.scenario, r.reqPerS / nest.reqPerS]));
      say(`× ${label} (${fixed(nest.reqPerS, 0)} req/s): ${ours.map((r) => `${r.scenario} ${fixed(r.reqPerS / nest.reqPerS, 3)}`).join('; ')}`);
    }

    if (bench.has('phq9-open')) {
      const r = await openLoop(base, t.phq9, { rate: a.openRate, durationS: a.openSeconds });
      const open = { offeredPerS: a.openRate, seconds: a.openSeconds, offered: r.offered, ok: r.ok, errors: r.errors, achievedPerS: r.ok / r.seconds, p50: percentileMs(r.latency, 50), p95: percentileMs(r.latency, 95), p99: percentileMs(r.latency, 99), statuses: r.statuses };
      bench.result.openLoop = open;
      say();
      say(`open loop, PHQ-9 submissions offered at ${a.openRate}/s for ${a.openSeconds} s: achieved ${fixed(open.achievedPerS, 1)}/s, p50 ${ms(open.p50)}, p95 ${ms(open.p95)}, p99 ${ms(open.p99)}, errors ${open.errors} of ${open.offered}${open.errors ? ` (statuses ${JSON.stringify(open.statuses)})` : ''}`);
    }

    if (bench.has('memory')) {
      await new Promise((r) => setTimeout(r, a.idleWaitS * 1000));
      const m = procMemory(svc.child.pid!);
      // With the inspector (--cpu-prof): where the idle RSS is, V8's heap or outside it.
      const heap = inspectPort ? await heapUse(inspectPort) : undefined;
      bench.result.memory = { idleRss: m.rss, peakRss: m.peak, idleWaitS: a.idleWaitS, ...(heap && { heap }) };
      say(`memory of the service process: idle RSS ${mb(m.rss)} (${a.idleWaitS} s after the load), peak RSS ${mb(m.peak)} (VmHWM)`);
      if (heap) {
        const spaces = Object.entries(heap.spaces).filter(([, bytes]) => bytes >= 2 ** 20).map(([name, bytes]) => `${name} ${mb(bytes)}`).join(', ');
        say(`  V8 heap ${mb(heap.heapTotal)} (used ${mb(heap.heapUsed)}, ${mb(heap.heapLive)} live after a full collection; ${spaces}), external ${mb(heap.external)} (array buffers ${mb(heap.arrayBuffers)})`);
      }
    }

    if (bench.has('pause')) {
      // Four people's first requests at once (four pooled connections at once, as one screen's requests need): first
      // after a pause with no request at all (a clinic's usual traffic: a few people, now and then), then again, warm.
      const screen = [t.context[0], t.questionnaires[0], t.worklist[0], t.context[1 % t.context.length]];
      const afterPause: number[] = [];
      const atOnce: number[] = [];
      for (let i = 0; i < a.pauses; i++) {
        await new Promise((r) => setTimeout(r, a.pauseSeconds * 1000));
        afterPause.push(await openScreen(base, screen));
        atOnce.push(await openScreen(base, screen));
      }
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      bench.result.pause = { pauseSeconds: a.pauseSeconds, requests: screen.length, afterPauseMs: afterPause, atOnceMs: atOnce, dbPoolIdleMs: config.dbPoolIdleMs };
      say(
        `${screen.length} people's first requests at once (context ×2, questionnaires, worklist), ${a.pauses} times: after ${a.pauseSeconds} s with no request ` +
          `median ${ms(median(afterPause))} (max ${ms(Math.max(...afterPause))}); again at once median ${ms(median(atOnce))} (max ${ms(Math.max(...atOnce))}); ` +
          `DB_POOL_IDLE_MS ${config.dbPoolIdleMs}`,
      );
    }

    const waiting = await queue(base);
    if (bench.has('write-back') && waiting.pending > 0) {
      ehr = await ReferenceEhr.start({ profile: EHR_PROFILES.transaction, client: { clientId: clinic.registration.clientId, jwksUrl: `${base}/.well-known/jwks.json` } });
      const check = await pointWriteBacksAt(base, clinic, ehr.baseUrl);
      say(`check connection to the reference EHR: ${check.join(' | ')}`);
      await svc.stop();
      const trimmed = await trimQueue({ url: db.env.DATABASE_URL, schema: db.env.DB_SCHEMA, dataDir }, a.drainEntries);
      const capture = captureWrites(ehr);
      // The same database, now with the worker: it drains what the load queued into the reference EHR.
      svc = startService({ ...env, OUTBOX_WORKER: 'true', OUTBOX_BATCH_SIZE: String(DRAIN_BATCH) }, { keepChars: 20_000 });
      await waitFor200(`${base}/health/ready`);
      const child = svc.child;
      const drained = await untilDrained(base, 30 * 60_000, () => child.exitCode === null && child.signalCode === null);
      capture.stop();
      const once = repeatedWrites(capture.writes);
      const problems = ehr.validationProblems.length;
      const drain = answerRate(capture.answers.at);
      // The same writes by the worker's rules, straight to a fresh store of the same (now warm) EHR process; the first
      // WARM_WRITES answers are left out on both sides, so neither is timed while the EHR warms up.
      const direct = await replayDirect(ehr, capture.writes, DRAIN_BATCH);
      const straight = answerRate(direct.answers.at);
      const wb = {
        queued: waiting.pending,
        entries: trimmed.kept,
        dead: drained.dead,
        writes: capture.writes.length,
        distinctWrites: once.distinct,
        repeatedWrites: once.repeated,
        failedAnswers: capture.answers.failed,
        validationProblems: problems,
        warmWrites: WARM_WRITES,
        concurrency: DRAIN_BATCH,
        drainTimedWrites: drain.writes,
        drainSeconds: drain.seconds,
        drainWritesPerS: drain.perS,
        directTimedWrites: straight.writes,
        directSeconds: straight.seconds,
        directWritesPerS: straight.perS,
        directErrors: direct.errors,
        ratio: drain.perS / straight.perS,
      };
      bench.result.writeBack = wb;
      say(
        `write-back to the reference EHR (transaction profile): ${wb.entries} entries (the oldest of ${wb.queued} queued), ${wb.dead} dead; ` +
          `the EHR received ${wb.writes} writes, ${wb.distinctWrites} distinct (${wb.repeatedWrites} received twice), ${wb.failedAnswers} answered other than 2xx`,
      );
      say(
        `  drain: ${drain.writes} writes after the first ${WARM_WRITES} in ${fixed(drain.seconds, 2)} s (${fixed(drain.perS, 2)}/s); ` +
          `the same writes POSTed directly (${DRAIN_BATCH} at a time, each patient's in order): ${straight.writes} in ${fixed(straight.seconds, 2)} s (${fixed(straight.perS, 2)}/s, ${direct.errors} errors); ` +
          `drain/direct = ${fixed(wb.ratio, 2)}`,
      );
    }
    const code = await svc.stop();
    svc = undefined;
    if (code !== 0) say(`the service exited with ${code}`);

    if (bench.has('report') && a.reportReferrals > 0) {
      const r: ReportVsFhir = await reportVsFhirSearch(a.reportReferrals, say);
      bench.result.report = { ...r, timesFaster: r.fhirSearchMs / r.reportMs };
      const x = r.fhirSearchMs / r.reportMs;
      say(
        `outcome report over ${r.responses} responses: ${ms(r.reportMs)} (median of 3); fetching the same QuestionnaireResponses by FHIR search ` +
          `from the reference EHR: ${ms(r.fhirSearchMs)} (${r.pages} pages); ${x >= 1 ? `the report is ${fixed(x, 1)}× faster` : `the FHIR search alone is ${fixed(1 / x, 1)}× faster`}`,
      );
    }

    if (profile) {
      if (a.cpuProfOut) writeFileSync(a.cpuProfOut, JSON.stringify(profile));
      const p = summarizeCpuProfile(profile);
      bench.result.cpuProfile = p;
      say();
      say(`service CPU profile over the closed-loop scenarios run (${fixed(p.totalMs / 1000, 1)} s of samples, idle excluded; --only phq9 for the submission alone):`);
      say(table(['self time by function', 'ms', 'share'], p.functions.map((f) => [f.name, fixed(f.ms, 0), `${fixed(f.share * 100, 1)} %`])));
      say();
      say(table(['self time by package/file', 'ms', 'share'], p.places.map((f) => [f.name, fixed(f.ms, 0), `${fixed(f.share * 100, 1)} %`])));
    }
    if (a.json) writeFileSync(a.json, `${JSON.stringify({ config, ...bench.result }, null, 2)}\n`);
  } catch (err) {
    if (svc) process.stderr.write(`--- last output of the service (exit ${svc.child.exitCode ?? svc.child.signalCode ?? "running"}) ---\n${svc.output()}\n`);
    throw err;
  } finally {
    await svc?.stop();
    await ehr?.close();
    await floor.stop().catch(() => undefined);
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`Benchmark failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
