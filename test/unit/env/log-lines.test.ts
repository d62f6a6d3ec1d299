import { expect } from 'chai';
import { asJsonLines } from '../../../src/env/service-process.js';

describe('service logs: lines copied to the log file', () => {
  it('passes a chunk of JSON lines through unchanged', () => {
    const chunk = '{"a":1}\n{"b":2}\n';
    expect(asJsonLines(chunk, 'service-b', 'stdout')).to.equal(chunk);
  });

  it('wraps lines that are not JSON objects, keeps those that are, drops empty ones', () => {
    const out = asJsonLines('{"a":1}\nplain text\n\r\n{"b":2}\r\n', 'service-a', 'stderr').split('\n').filter(Boolean);
    expect(out).to.have.length(3);
    expect(out[0]).to.equal('{"a":1}');
    expect(JSON.parse(out[1] ?? '')).to.include({ service: 'service-a', stream: 'stderr', msg: 'plain text' });
    expect(out[2]).to.equal('{"b":2}');
  });

  it('wraps a line that only starts like JSON', () => {
    const out = asJsonLines('{"a":1}\n{not closed\n', 'service-b', 'stdout').split('\n').filter(Boolean);
    expect(JSON.parse(out[1] ?? '')).to.include({ msg: '{not closed' });
  });
});
