import type { LoadProgress } from './load-result.js';

/** Where progress goes: a live line on a terminal, one line per stage otherwise (CI, pipes). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

const seconds = (ms: number) => `${Math.floor(ms / 1000)}s`;

/** The live TTY line: stage, elapsed, target and achieved rate, p99 so far, errors. */
export function formatProgressLine(progress: Extract<LoadProgress, { kind: 'tick' }>): string {
  return (
    `load ${progress.stage.padEnd(10)} ${seconds(progress.elapsedMs).padStart(5)}/${seconds(progress.totalMs)}` +
    `  target ${progress.targetRate.toFixed(0).padStart(5)}/s  achieved ${String(progress.achievedRate).padStart(5)}/s` +
    `  p99 ${progress.p99Ms.toFixed(1).padStart(7)} ms  errors ${progress.errors}${progress.dropped > 0 ? `  dropped ${progress.dropped}` : ''}`
  );
}

/** The one line a finished stage gets in CI logs. */
export function formatStageLine(progress: Extract<LoadProgress, { kind: 'stage' }>): string {
  return (
    `load stage ${progress.index + 1}/${progress.of} ${progress.stage}: target ${progress.targetRate}/s, achieved ${progress.achievedRate}/s,` +
    ` p50 ${progress.p50Ms.toFixed(2)} ms, p99 ${progress.p99Ms.toFixed(2)} ms, ${progress.completed} requests, errors ${(progress.errorRate * 100).toFixed(2)}%`
  );
}

/**
 * A progress callback for {@link runLoad}: on a TTY (and not in CI) it redraws one live line;
 * otherwise it prints one line per finished stage and nothing per second.
 */
export function progressPrinter(stream: ProgressStream, env: Readonly<Record<string, string | undefined>> = process.env): { onProgress: (progress: LoadProgress) => void; done: () => void } {
  const live = Boolean(stream.isTTY) && !env.CI;
  let drawn = false;
  return {
    onProgress(progress) {
      if (progress.kind === 'tick') {
        if (!live) return;
        stream.write(`\r\u001b[2K${formatProgressLine(progress)}`);
        drawn = true;
        return;
      }
      if (live && drawn) stream.write('\r\u001b[2K');
      stream.write(`${formatStageLine(progress)}\n`);
      drawn = false;
    },
    done() {
      if (live && drawn) stream.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
