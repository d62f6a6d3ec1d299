import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LogCursor, startRecording } from '../../../src/scenarios/index.js';

const line = (fields: Record<string, unknown>) => `${JSON.stringify({ time: '2026-01-01T00:00:01.000Z', service: 'service-a', ...fields })}\n`;

describe('scenarios: LogCursor', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-scenarios-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns only complete lines appended since the last read, keeping a half-written line for later', async () => {
    const file = join(dir, 'service-a.log');
    await writeFile(file, line({ event: 'old' }));
    const cursor = new LogCursor(file, 'service-a');
    await cursor.skipToEnd();
    await appendFile(file, `${line({ event: 'one' })}{"time":"2026-01-01T00:00:01.000Z","event":"tw`);
    expect((await cursor.read()).map((l) => l.event)).to.deep.equal(['one']);
    await appendFile(file, 'o"}\n');
    expect((await cursor.read()).map((l) => l.event)).to.deep.equal(['two']);
    expect(await cursor.read()).to.deep.equal([]);
  });

  it('reads a log that was rewritten (shorter than before) from its start', async () => {
    const file = join(dir, 'service-b.log');
    await writeFile(file, line({ event: 'a' }) + line({ event: 'b' }));
    const cursor = new LogCursor(file, 'service-b');
    await cursor.skipToEnd();
    await writeFile(file, line({ event: 'fresh' }));
    expect((await cursor.read()).map((l) => l.event)).to.deep.equal(['fresh']);
  });

  it('treats a missing file as empty', async () => {
    const cursor = new LogCursor(join(dir, 'absent.log'), 'service-a');
    await cursor.skipToEnd();
    expect(await cursor.read()).to.deep.equal([]);
  });
});

describe('scenarios: Recording', () => {
  it('waits until a line for a correlation id arrives, and traces only what was logged after the start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-scenarios-rec-'));
    try {
      const file = join(dir, 'service-a.log');
      await writeFile(file, line({ event: 'http.request', correlationId: 'before' }));
      let clock = Date.parse('2026-01-01T00:00:00.000Z');
      const recording = await startRecording('demo', [{ service: 'service-a', logFile: file }], { now: () => clock, pollMs: 5 });
      setTimeout(() => void appendFile(file, line({ event: 'http.response', correlationId: 'cid-1', statusCode: 200 })), 30);
      const lines = await recording.forCorrelation('cid-1', (found) => found.length > 0, 5000);
      expect(lines.map((l) => l.event)).to.deep.equal(['http.response']);
      clock = Date.parse('2026-01-01T00:00:02.000Z');
      const trace = await recording.finish();
      expect(trace.correlations.map((c) => c.correlationId)).to.deep.equal(['cid-1']);
      expect(trace.correlations[0]?.events[0]).to.include({ t: 1000, statusCode: 200 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives up waiting after the timeout and returns what it has', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-scenarios-rec-'));
    try {
      const recording = await startRecording('demo', [{ service: 'service-a', logFile: join(dir, 'quiet.log') }], { pollMs: 5 });
      expect(await recording.forCorrelation('never', (found) => found.length > 0, 50)).to.deep.equal([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
