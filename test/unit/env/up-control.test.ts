import { expect } from 'chai';
import { remotePostgres, serveUpControl } from '../../../src/env/index.js';
import type { StartedPostgres } from '../../../src/env/index.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { rejection } from '../../support/rejection.js';

// How `accord verify --provider-base-url` halts and resumes the PostgreSQL of the `accord up`
// running in the same directory: the up process does it, asked over loopback with its token.

function fakePostgres(calls: string[], failResume = false): StartedPostgres {
  return {
    halt: async () => void calls.push('halt'),
    resume: async () => {
      if (failResume) throw new Error('could not start the server again\nmore detail');
      calls.push('resume');
    },
  } as unknown as StartedPostgres;
}

describe('accord up control: halting and resuming its PostgreSQL from another process', () => {
  it('halts, resumes and tells the owner (who records the new PID), in order', async () => {
    const calls: string[] = [];
    const control = await serveUpControl(fakePostgres(calls), { onChange: () => void calls.push('recorded') });
    try {
      const postgres = remotePostgres(control);
      await postgres.halt();
      await postgres.resume();
      expect(calls).to.deep.equal(['halt', 'recorded', 'resume', 'recorded']);
    } finally {
      await control.stop();
    }
  });

  it('refuses a caller without the recorded token, and says why a resume failed', async () => {
    const calls: string[] = [];
    const control = await serveUpControl(fakePostgres(calls, true));
    try {
      const stranger = await fetch(`${control.url}/postgres/halt`, { method: 'POST', headers: { authorization: 'Bearer guessed' } });
      expect(stranger.status).to.equal(401);
      const wrong = await rejection(remotePostgres({ url: control.url, token: 'x'.repeat(control.token.length) }).halt());
      expect(wrong.message).to.equal('the accord up running here did not halt its PostgreSQL (HTTP 401)');
      expect(calls).to.deep.equal([]);
      const failed = await rejection(remotePostgres(control).resume());
      expect(failed.code).to.equal(ErrorCodes.USAGE);
      expect(failed.message).to.equal('the accord up running here did not resume its PostgreSQL (HTTP 500: could not start the server again)');
    } finally {
      await control.stop();
    }
  });

  it('an up that is gone is named', async () => {
    const control = await serveUpControl(fakePostgres([]));
    await control.stop();
    const error = await rejection(remotePostgres(control).halt());
    expect(error.message).to.match(/^the accord up running here did not halt its PostgreSQL: fetch failed/);
  });
});
