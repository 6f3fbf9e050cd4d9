// A progress bar on stderr for long CSV exports (cli-progress), updated in steps so a million rows do
// not mean a million redraws.
import cliProgress from 'cli-progress';

export interface Progress {
  tick(): void;
  stop(): void;
}

const STEP = 1000;

export function progressBar(total: number, enabled: boolean): Progress {
  if (!enabled || total === 0) return { tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'CSV export |{bar}| {percentage}% · {value}/{total} rows · {eta_formatted} left', hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let done = 0;
  return {
    tick() {
      done++;
      if (done % STEP === 0 || done === total) bar.update(done);
    },
    stop() {
      bar.update(done);
      bar.stop();
    },
  };
}
