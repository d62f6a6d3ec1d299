import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ErrorCodes, isAccordError } from '../../../src/errors/index.js';
import {
  escapeMarkdown,
  hrefFrom,
  isSafeHref,
  markdownFence,
  markdownTable,
  renderAcceptanceMarkdown,
  renderStepsMarkdown,
  renderStepsText,
  renderTable,
  stepDiagrams,
  toJson,
  writeAcceptanceReport,
} from '../../../src/report/index.js';
import type { GateStep } from '../../../src/report/index.js';
import { sampleReport } from './sample-report.js';

describe('report: text tables', () => {
  it('lines up plain columns two spaces apart, right-aligned where asked, with an optional rule under the header', () => {
    const text = renderTable(['name', { header: 'ms', align: 'right' }, 'note'], [['a', '5', 'x'], ['longer', '123', '']], { rule: true });
    expect(text).to.equal(['name     ms  note', '------  ---  ----', 'a         5  x', 'longer  123'].join('\n'));
  });

  it('draws boxed tables with cli-table3, no colours', () => {
    expect(renderTable(['a', 'b'], [['1', '2']], { style: 'boxed' })).to.equal(['┌───┬───┐', '│ a │ b │', '├───┼───┤', '│ 1 │ 2 │', '└───┴───┘'].join('\n'));
  });

  it('renders the steps: a row each, failed and warned checks under their step, then the counts', async () => {
    const { steps } = await sampleReport();
    const lines = renderStepsText(steps).split('\n');
    expect(lines[0]).to.match(/^step\s+status\s+time\s+summary$/);
    const diff = lines.findIndex((line) => line.startsWith('contract-diff '));
    expect(lines[diff]).to.match(/^contract-diff\s+FAIL\s+530 ms\s+1 of 2 checks failed$/);
    expect(lines[diff + 1]).to.equal('    ✗ GET /items/{sku} 200: response property `stock` removed: breaking change needs a major bump: 1.2.0 → 1.3.0 is only a minor one (contracts/service-a-to-b.yaml:88:11 /paths/~1items~1{sku}/get/responses/200)');
    expect(lines[diff + 2]).to.match(/^consumer-tests\s+pass\s+6\.21 s\s+1 check passed$/);
    expect(lines.find((line) => line.startsWith('load '))).to.match(/FAIL\s+31\.20 s\s+1 of 3 checks failed$/);
    expect(lines.at(-2)).to.equal('10 steps: 8 passed, 2 failed in 1 min 06 s');
  });
});

describe('report: Markdown', () => {
  it('escapes what would break a table cell or open a tag, and leaves emphasis alone', () => {
    expect(escapeMarkdown('a | b\nc <stock> x < 5 **y**')).to.equal('a \\| b c &lt;stock> x < 5 **y**');
  });

  it('fences code with a fence longer than any backtick run inside', () => {
    expect(markdownFence('mermaid', 'a ``` b\n')).to.equal('````mermaid\na ``` b\n````');
  });

  it('writes GFM tables with alignment rows', () => {
    expect(markdownTable(['k', { header: 'v', align: 'right' }], [['a|b', 1]])).to.equal('| k | v |\n| --- | ---: |\n| a\\|b | 1 |');
  });

  it('renders the steps as a table and lists the failures under it', async () => {
    const md = renderStepsMarkdown((await sampleReport()).steps);
    expect(md).to.include('| ✗ contract-diff | **FAIL** | 530 ms | 1 of 2 checks failed |');
    expect(md).to.include('**load** (Load pass (smoke)):\n\n- ✗ p99 < 250 ms over sustain: p99 was 310 ms');
  });

  it('fills in the plan: every section, a Mermaid block per diagram, benchmarks required vs measured, the checklist ticked and crossed', async () => {
    const report = await sampleReport();
    const md = renderAcceptanceMarkdown(report, { dir: 'reports', chartFiles: ['reports/acceptance-charts/01-latency.svg'] });
    const headings = md.split('\n').filter((line) => /^##? /.test(line));
    expect(headings).to.deep.equal(['# Acceptance report: FAILED', '## 1. Scope', '## 2. Scenarios', '## 3. Performance benchmarks', '## 4. Contracts', '## 5. Environment', '## 6. Dependencies', '## 7. Acceptance checklist', '## Steps in detail']);
    expect(md.match(/^```mermaid$/gm)).to.have.length(4);
    expect(md).to.include('| load | p99 < 250 ms over sustain | 250 ms | 310.4 ms | **FAIL** |');
    expect(md).to.include('| contracts/service-a-to-b.yaml | 1.3.0 | git:HEAD 1.2.0 | major | GET /items/{sku} 200: response property `stock` removed |');
    expect(md).to.include('- [x] ✓ **All scenarios passing**: scenarios: 3 of 3 checks passed ([scenarios](<#step-scenarios>))');
    expect(md).to.include('- [ ] ✗ **Performance baseline documented**: no baseline was recorded (no evidence)');
    // Evidence paths are relative to the working directory; from reports/ they need one step up.
    expect(md).to.include('([b-unavailable trace](<traces/b-unavailable.json>))');
    expect(md).to.include('![Latency from scheduled start (ms)](<acceptance-charts/01-latency.svg>)');
    expect(md).to.include('<a id="step-contract-diff"></a>');
  });
});

describe('report: the acceptance JSON', () => {
  it('leads with ok, steps and the checklist as {section, item, ok, reason, evidence}', async () => {
    const report = await sampleReport();
    const json = toJson(report);
    expect(Object.keys(json).slice(0, 3)).to.deep.equal(['ok', 'steps', 'checklist']);
    expect(json.steps.map((step) => step.id)).to.deep.equal(['contract-lint', 'contract-diff', 'consumer-tests', 'pacts-vs-contract', 'environment', 'schema', 'verify', 'scenarios', 'load', 'docs']);
    expect(Object.keys(json.checklist[0] ?? {})).to.deep.equal(['section', 'item', 'ok', 'reason', 'evidence']);
    expect(JSON.parse(JSON.stringify(json))).to.deep.equal(json);
  });
});

describe('report: step details and links', () => {
  it('reads diagrams from details and calls a wrong shape a bug in the adapter', () => {
    const step: GateStep = { id: 'scenarios', title: 't', status: 'pass', durationMs: 1, checks: [], evidence: [], details: { diagrams: [{ title: 'x', mermaid: 'sequenceDiagram' }] } };
    expect(stepDiagrams(step)).to.deep.equal([{ title: 'x', mermaid: 'sequenceDiagram' }]);
    expect(() => stepDiagrams({ ...step, details: { diagrams: [{ title: 'x' }] } })).to.throw(TypeError, 'step scenarios: details.diagrams');
  });

  it('links evidence from the report folder: paths made relative to it, URLs and anchors kept', () => {
    expect(hrefFrom('reports/load/x.html', 'reports', '/repo')).to.equal('load/x.html');
    expect(hrefFrom('contracts/a.yaml', 'reports', '/repo')).to.equal('../contracts/a.yaml');
    expect(hrefFrom('https://broker.example/x', 'reports', '/repo')).to.equal('https://broker.example/x');
    expect(hrefFrom('#step-load', 'reports', '/repo')).to.equal('#step-load');
  });

  it('lets web, file and mail links and paths be clickable, never script or data URLs', () => {
    expect(['https://x', 'file:///tmp/a', 'mailto:a@b', 'reports/a.json', '#step-x'].every(isSafeHref)).to.equal(true);
    expect(['javascript:alert(1)', ' JavaScript:x', 'data:text/html,<b>', 'vbscript:x'].some(isSafeHref)).to.equal(false);
  });
});

describe('report: writeAcceptanceReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-report-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the four files and each chart as SVG, and returns their paths', async () => {
    const { files } = await writeAcceptanceReport(await sampleReport(), join(dir, 'out'));
    expect(files.map((file) => file.slice(dir.length + 5))).to.deep.equal(['acceptance.json', 'acceptance.md', 'acceptance.junit.xml', 'acceptance.html', 'acceptance-charts/01-latency-from-scheduled-start-ms.svg']);
    expect(JSON.parse(await readFile(join(dir, 'out', 'acceptance.json'), 'utf8')).ok).to.equal(false);
    expect(await readFile(join(dir, 'out', 'acceptance-charts/01-latency-from-scheduled-start-ms.svg'), 'utf8')).to.match(/^<svg/);
  });

  it('refuses a report dir that is a file, with ACCORD_REPORT_DIR_INVALID, before writing anything', async () => {
    const file = join(dir, 'taken');
    await writeFile(file, 'x');
    const error = await writeAcceptanceReport(await sampleReport(), join(file, 'sub')).catch((caught: unknown) => caught);
    expect(isAccordError(error, ErrorCodes.REPORT_DIR_INVALID), String(error)).to.equal(true);
    expect((error as Error).message).to.equal(`report dir ${join(file, 'sub')}: ${file} is a file, not a directory`);
    expect(await readFile(file, 'utf8')).to.equal('x');
  });
});
