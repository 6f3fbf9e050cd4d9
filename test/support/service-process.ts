import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  srv.close();
  await once(srv, 'close');
  return port;
}

export interface ServiceProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
  /** Waits for the process to end by itself. */
  exit(): Promise<number | null>;
}

export interface StartOptions {
  /** Node flags before the script, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Keep only the last this many characters of the output (a benchmark's request log would fill memory). */
  keepChars?: number;
  /** The working directory (where the service looks for `.env`); the project's by default. */
  cwd?: string;
}

/** Runs the built service (`dist/src/main.js`) as an operator would, capturing everything it prints. */
export function startService(env: NodeJS.ProcessEnv, o: StartOptions = {}): ServiceProcess {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), resolve('dist/src/main.js')], {
    env: { PATH: process.env.PATH, ...env },
    cwd: o.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = o.keepChars ?? Infinity;
  const add = (d: Buffer) => {
    out += d.toString();
    if (out.length > keep * 2) out = out.slice(-keep);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return {
    child,
    output: () => (out.length > keep ? out.slice(-keep) : out),
    async exit() {
      const [code] = await exited;
      return code;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}

/**
 * Polls a URL until it answers 200, or fails after `timeoutMs`: a deadline for a service that never gets ready,
 * long enough for a first start (initdb, every migration) on a machine whose cores another process keeps busy.
 */
export async function waitFor200(url: string, timeoutMs = 240_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
