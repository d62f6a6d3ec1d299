import { expect } from 'chai';
import { descendantsOf, parseProcIo, parseProcStat, readProcStat } from '../../../src/load/proc-stats.js';
import type { ProcStat } from '../../../src/load/proc-stats.js';

describe('proc-stats', () => {
  it('parses /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
    const fields = ['S', '1', '2', '3', '0', '-1', '4194560', '100', '0', '0', '0', '250', '50', '7', '3', '20', '0', '1', '0', '100', '123456789', '2500'];
    const stat = parseProcStat(`4242 (node (worker) x) ${fields.join(' ')}`);
    expect(stat).to.deep.equal({ pid: 4242, ppid: 1, comm: 'node (worker) x', cpuTicks: 250 + 50 + 7 + 3, ownTicks: 300, systemTicks: 50, minorFaults: 100, rssBytes: 2500 * 4096 });
  });

  it('parses read_bytes and write_bytes from /proc/<pid>/io', () => {
    const io = parseProcIo('rchar: 100\nwchar: 200\nsyscr: 1\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n');
    expect(io).to.deep.equal({ readBytes: 4096, writeBytes: 8192 });
  });

  it('finds every descendant of a root, and nothing for a missing root', () => {
    const stat = (pid: number, ppid: number): ProcStat => ({ pid, ppid, comm: 'x', cpuTicks: 0, ownTicks: 0, systemTicks: 0, minorFaults: 0, rssBytes: 0 });
    const all = [stat(1, 0), stat(10, 1), stat(11, 10), stat(12, 10), stat(13, 12), stat(20, 1)];
    expect(descendantsOf(10, all).sort()).to.deep.equal([10, 11, 12, 13]);
    expect(descendantsOf(99, all)).to.deep.equal([]);
  });

  it('reads this process and nothing for a pid that does not exist', async () => {
    const self = await readProcStat(process.pid);
    expect(self?.pid).to.equal(process.pid);
    expect(self?.rssBytes).to.be.greaterThan(0);
    expect(await readProcStat(2 ** 22 + 1)).to.equal(undefined);
  });
});
