import { Listr, PRESET_TIMER, ProcessOutput } from 'listr2';
import type { ListrTaskWrapper } from 'listr2';
import type { GateProgress } from './context.js';
import { GATE_STEPS } from './steps.js';
import type { GateStepId } from './steps.js';

/** Receives the gate's progress and draws it; `done()` once the run is over. */
export interface GateProgressView {
  onProgress(progress: GateProgress): void;
  done(): Promise<void>;
}

/** Plain timestamped lines (CI, a pipe): one when a step starts, one when it ends, details throttled to one per 5 s per step. */
export function plainProgress(stream: NodeJS.WritableStream, now: () => Date = () => new Date()): GateProgressView {
  const lastDetail = new Map<string, number>();
  const line = (text: string) => stream.write(`${now().toISOString()} accord gate: ${text}\n`);
  return {
    onProgress(progress) {
      if (progress.type === 'start') line(`${progress.id} started`);
      else if (progress.type === 'done') {
        const { step } = progress;
        line(`${step.id} ${step.status}${step.status === 'skip' ? ` (${String(step.details?.reason ?? '')})` : ` in ${(step.durationMs / 1000).toFixed(1)} s`}`);
      } else {
        const at = now().getTime();
        if (at - (lastDetail.get(progress.id) ?? 0) < 5000) return;
        lastDetail.set(progress.id, at);
        line(`${progress.id}: ${progress.text}`);
      }
    },
    async done() {},
  };
}

interface Deferred {
  readonly promise: Promise<GateProgress & { type: 'done' }>;
  resolve(value: GateProgress & { type: 'done' }): void;
}

/**
 * A listr2 task list on a TTY: every step with a spinner and its elapsed time, the running step's
 * latest detail (the load pass's live rate) beneath it. listr2 drives its tasks itself, so each task
 * waits for the gate's report that its step finished. Drawn on stderr: stdout stays for the report.
 */
export function ttyProgress(stream: NodeJS.WriteStream): GateProgressView {
  const finished = new Map<GateStepId, Deferred>();
  const tasks = new Map<GateStepId, ListrTaskWrapper<unknown, never, never>>();
  for (const step of GATE_STEPS) {
    let resolve!: Deferred['resolve'];
    const promise = new Promise<GateProgress & { type: 'done' }>((r) => {
      resolve = r;
    });
    finished.set(step.id, { promise, resolve });
  }
  const list = new Listr(
    GATE_STEPS.map((info) => ({
      title: info.title,
      task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
        tasks.set(info.id, task as never);
        const { step } = await (finished.get(info.id) as Deferred).promise;
        task.title = `${info.id}: ${step.title}`;
        if (step.status === 'skip') task.skip(`${info.id}: ${String(step.details?.reason ?? 'skipped')}`);
        if (step.status === 'fail') throw new Error(`${info.id}: ${step.checks.filter((check) => check.status === 'fail').length} failed checks`);
      },
    })),
    {
      exitOnError: false,
      concurrent: false,
      rendererOptions: { timer: PRESET_TIMER, processOutput: new ProcessOutput(stream, stream) } as never,
    },
  );
  const running = list.run().catch(() => undefined);
  return {
    onProgress(progress) {
      if (progress.type === 'done') finished.get(progress.step.id as GateStepId)?.resolve(progress);
      else if (progress.type === 'detail') {
        const task = tasks.get(progress.id);
        if (task) task.output = progress.text;
      }
    },
    async done() {
      // Steps the run never reported (Ctrl-C) end the list as skipped.
      for (const [id, deferred] of finished) deferred.resolve({ type: 'done', step: { id, title: id, status: 'skip', durationMs: 0, checks: [], evidence: [], details: { reason: 'not run' } } });
      await running;
    },
  };
}
