import { expect } from 'chai';
import { redact, registerSecret } from '../../../src/config/index.js';

describe('redact', () => {
  it('hides registered secrets wherever they appear', () => {
    registerSecret('tok-123456');
    expect(redact('{"token":"tok-123456","again":"tok-123456"}')).to.equal('{"token":"***","again":"***"}');
  });

  it('hides the password of any URL', () => {
    expect(redact('DATABASE_URL=postgres://user:p%40ss@host:5432/db and redis://:pw@r:6379')).to.equal('DATABASE_URL=postgres://user:***@host:5432/db and redis://:***@r:6379');
  });

  it('ignores values too short to be secrets, so ordinary text stays readable', () => {
    registerSecret('on');
    expect(redact('logging is on')).to.equal('logging is on');
  });

  it('leaves text without secrets alone', () => {
    expect(redact('http://127.0.0.1:8001/health')).to.equal('http://127.0.0.1:8001/health');
  });
});
