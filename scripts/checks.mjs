// `npm run check`: the type check and the lint side by side. Each is one single-threaded process of tens of seconds
// (tsc, eslint) and the machines here have two cores, so together they take as long as the longer of the two. Each
// one's output is printed whole when it ends (not interleaved); the run fails if any fails.
// `--with-build` (`npm test`) runs the build beside them too: the build (tsc -b, Vite) is single-threaded as well and
// nothing in the checks reads what it writes, so lint and build share the core the type check leaves free (on two
// cores the three take about as long as the type check alone, where build then checks took both one after the other).
// Hand-written: a dozen lines, where a runner package (concurrently, npm-run-all) would add a dependency for them.
/* eslint-disable no-console -- a build script speaks on the console */
import { spawn } from 'node:child_process';

const checks = [
  ['type check', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ...(process.argv.includes('--with-build') ? [['build', 'npm', ['run', '--silent', 'build']]] : []),
];

const results = await Promise.all(
  checks.map(
    ([name, command, args]) =>
      new Promise((resolve) => {
        const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('close', (code) => {
          console.log(`== ${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
          if (output.trim()) console.log(output.trimEnd());
          resolve(code === 0);
        });
      }),
  ),
);
process.exit(results.every(Boolean) ? 0 : 1);
