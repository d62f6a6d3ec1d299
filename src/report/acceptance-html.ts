import { acceptanceSections, benchmarkCells, componentCells, CONTRACT_COLUMNS, contractCells, environmentCell, stepAnchor } from './acceptance-sections.js';
import type { AcceptanceSections } from './acceptance-sections.js';
import { checklistMark, checksToShow, formatDurationMs, formatLocation, formatMeasured, STATUS_LABEL, STATUS_MARK, stepCounts, stepStatusLabel, stepSummary } from './format.js';
import { escapeHtml, htmlTable } from './html.js';
import type { HtmlCell } from './html.js';
import { hrefFrom, isSafeHref } from './links.js';
import { mermaidBundle } from './mermaid-bundle.js';
import type { AcceptanceReport, Diagram, Evidence, GateStep, Status } from './model.js';

/** Options of {@link renderAcceptanceHtml}. */
export interface AcceptanceHtmlOptions {
  /** The folder the file is written to: evidence paths are linked relative to it. */
  readonly dir?: string;
}

// No network at all: inline scripts, styles and data: images only, so a stray URL cannot be fetched.
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

const STYLE = `
:root { --pass: #1e7e34; --fail: #b3261e; --warn: #9a6700; --skip: #6a737d; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 .verdict { padding: 0.1em 0.5em; border-radius: 4px; color: white; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); }
nav a { margin-right: 0.8em; }
table { border-collapse: collapse; margin: 0.5rem 0 1.2rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
tr.fail td { background: #fdecea; } tr.warn td { background: #fff8e1; } tr.skip td { color: var(--skip); }
.status-pass { color: var(--pass); } .status-fail { color: var(--fail); font-weight: 600; } .status-warn { color: var(--warn); } .status-skip { color: var(--skip); }
.diagram-status { padding: 0.4rem 0.8rem; border-radius: 4px; background: #eef; }
.diagram-status.rendered { background: #e6f4ea; } .diagram-status.failed { background: #fdecea; color: var(--fail); font-weight: 600; }
figure { margin: 0 0 1.5rem; } figcaption { font-weight: 600; margin-bottom: 0.3rem; }
figure.diagram[data-diagram="failed"] { border: 2px solid var(--fail); padding: 0.5rem; }
.diagram-status.source { background: #fff8e1; }
.diagram-error { color: var(--fail); font-weight: 600; white-space: pre-wrap; }
.diagram-svg svg { max-width: 100%; height: auto; }
pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; }
ul.checklist { list-style: none; padding-left: 0; } ul.checklist li { margin: 0.3rem 0; }
.mark { display: inline-block; width: 1.4em; font-weight: 700; }
.mark.ok { color: var(--pass); } .mark.crossed { color: var(--fail); } .mark.na { color: #888; } li.not-applicable { color: #666; }
.reason { color: #444; } .evidence { font-size: 0.92em; }
footer { margin-top: 2rem; color: #666; font-size: 0.9em; }
`;

// Runs in the page: renders every diagram with the bundled Mermaid, one after another (Mermaid's
// render uses one scratch element), and marks each figure, the banner and <body> with the outcome.
const RENDER_SCRIPT = `
(async () => {
  const figures = Array.from(document.querySelectorAll('figure[data-diagram]'));
  const banner = document.getElementById('diagram-status');
  let failed = 0;
  const fail = (figure, error) => {
    failed += 1;
    figure.dataset.diagram = 'failed';
    const message = figure.querySelector('.diagram-error');
    message.textContent = 'This diagram did not render: ' + (error && error.message ? error.message : String(error));
    message.hidden = false;
    figure.querySelector('details').open = true;
  };
  let ready = true;
  try {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', suppressErrorRendering: true });
  } catch (error) {
    ready = false;
    for (const figure of figures) fail(figure, error);
  }
  if (ready) {
    for (const [index, figure] of figures.entries()) {
      try {
        const { svg } = await mermaid.render('mermaid-svg-' + index, figure.querySelector('.diagram-source').textContent);
        figure.querySelector('.diagram-svg').innerHTML = svg;
        figure.dataset.diagram = 'rendered';
      } catch (error) {
        fail(figure, error);
      }
    }
  }
  banner.textContent = failed === 0 ? 'All ' + figures.length + ' diagrams rendered.' : failed + ' of ' + figures.length + ' diagrams did not render: see the figures marked in red.';
  banner.className = 'diagram-status ' + (failed === 0 ? 'rendered' : 'failed');
  document.body.dataset.diagrams = failed === 0 ? 'rendered' : 'failed';
})();
`;

const statusHtml = (status: Status) => `<span class="status-${status}">${STATUS_MARK[status]} ${escapeHtml(STATUS_LABEL[status])}</span>`;
const statusCell = (status: Status): HtmlCell => ({ html: statusHtml(status) });
// An href that could run script stays visible as text, never a link.
const evidenceLink = (evidence: Evidence, dir: string | undefined) =>
  isSafeHref(evidence.href) ? `<a href="${escapeHtml(hrefFrom(evidence.href, dir))}">${escapeHtml(evidence.label)}</a>` : `<span title="${escapeHtml(evidence.href)}">${escapeHtml(evidence.label)}</span>`;
const rowClassOf = (statuses: readonly Status[]) => (index: number) => {
  const status = statuses[index];
  return status === undefined || status === 'pass' ? undefined : status;
};

// Without mermaid installed (an optional peer dependency), a figure is its source, shown open.
function diagramFigure(diagram: Diagram, id: string, drawn: boolean): string {
  return `<figure class="diagram" data-diagram="${drawn ? 'pending' : 'source'}" id="${escapeHtml(id)}">
<figcaption>${escapeHtml(diagram.title)}</figcaption>
<div class="diagram-svg"></div>
<p class="diagram-error" hidden></p>
<details${drawn ? '' : ' open'}><summary>Mermaid source</summary><pre class="diagram-source">${escapeHtml(diagram.mermaid)}</pre></details>
</figure>`;
}

/** A chart from our own vega renderer, inlined as markup; anything that is not a plain SVG is left out, never inlined. */
function chartFigure(chart: { readonly title: string; readonly svg: string; readonly step: string }): string {
  const plain = /^\s*(<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(chart.svg) && !/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(chart.svg);
  const body = plain ? chart.svg : `<p class="status-fail">This chart was left out: it is not a plain SVG document.</p>`;
  return `<figure class="chart" data-chart="${escapeHtml(chart.title)}">
<figcaption>${escapeHtml(chart.title)} <small>(${escapeHtml(chart.step)})</small></figcaption>
${body}
</figure>`;
}

function stepsTable(steps: readonly GateStep[]): string {
  return htmlTable(
    ['step', 'status', 'time', 'summary'],
    steps.map((step) => [{ html: `<a href="#${stepAnchor(step.id)}">${escapeHtml(step.id)}</a>` }, { html: `<span class="status-${step.status}">${STATUS_MARK[step.status]} ${escapeHtml(stepStatusLabel(step))}</span>` }, formatDurationMs(step.durationMs), stepSummary(step)]),
    rowClassOf(steps.map((step) => step.status)),
  );
}

function scopeSection(report: AcceptanceReport, sections: AcceptanceSections, drawn: boolean): string {
  const { components, integrationPoints } = report.scope;
  return `<section id="scope">
<h2>1. Scope</h2>
<h3>Components</h3>
${components.length === 0 ? '<p>No components listed.</p>' : htmlTable(['component', 'kind', 'version', 'where'], components.map(componentCells))}
<h3>Integration points</h3>
${integrationPoints.length === 0 ? '<p>No integration points listed.</p>' : htmlTable(['from', 'to', 'kind', 'contract'], integrationPoints.map((point) => [point.from, point.to, point.kind, point.contract ?? '—']))}
${sections.otherDiagrams.map((diagram, index) => diagramFigure(diagram, `diagram-scope-${index}`, drawn)).join('\n')}
</section>`;
}

function scenariosSection(sections: AcceptanceSections, drawn: boolean): string {
  const step = sections.scenarioStep;
  if (step === undefined) return '<section id="scenarios">\n<h2>2. Scenarios</h2>\n<p>The scenarios step did not run.</p>\n</section>';
  return `<section id="scenarios">
<h2>2. Scenarios</h2>
<p>${statusHtml(step.status)}: ${escapeHtml(stepSummary(step))}.</p>
${htmlTable(['check', 'result', 'observed'], step.checks.map((check) => [check.name, statusCell(check.status), check.message]), rowClassOf(step.checks.map((check) => check.status)))}
${sections.scenarioDiagrams.map((diagram, index) => diagramFigure(diagram, `diagram-scenario-${index}`, drawn)).join('\n')}
</section>`;
}

function performanceSection(sections: AcceptanceSections): string {
  const table =
    sections.benchmarks.length === 0
      ? '<p class="status-fail">Nothing was measured: no benchmark is met.</p>'
      : htmlTable(
          ['step', 'benchmark', 'required', 'measured', 'result'],
          sections.benchmarks.map((benchmark) => [benchmark.step.id, benchmark.check.name, ...benchmarkCells(benchmark), statusCell(benchmark.check.status)]),
          rowClassOf(sections.benchmarks.map((benchmark) => benchmark.check.status)),
        );
  return `<section id="performance">
<h2>3. Performance benchmarks</h2>
${table}
${sections.charts.map(chartFigure).join('\n')}
</section>`;
}

function contractsSection(sections: AcceptanceSections): string {
  const contracts =
    sections.contracts.length === 0
      ? '<p>No contract was compared.</p>'
      : htmlTable(
          CONTRACT_COLUMNS,
          sections.contracts.map((contract) => [...contractCells(contract), contract.breakingChanges.length === 0 ? 'none' : { html: `<ul>${contract.breakingChanges.map((change) => `<li>${escapeHtml(change)}</li>`).join('')}</ul>` }]),
          (index) => ((sections.contracts[index]?.breakingChanges.length ?? 0) > 0 ? 'fail' : undefined),
        );
  const steps = sections.contractSteps.length === 0 ? '' : stepsTable(sections.contractSteps);
  return `<section id="contracts">
<h2>4. Contracts</h2>
${contracts}
${steps}
</section>`;
}

function keyValueSection(id: string, title: string, entries: readonly (readonly [string, string | number])[], header: readonly [string, string]): string {
  return `<section id="${id}">
<h2>${escapeHtml(title)}</h2>
${entries.length === 0 ? '<p>Not recorded.</p>' : htmlTable(header, entries.map(([key, value]) => [key, environmentCell(value)]))}
</section>`;
}

function checklistSection(sections: AcceptanceSections, dir: string | undefined): string {
  const parts = sections.checklist.map(({ section, entries }) => {
    const lines = entries.map((item) => {
      const evidence = item.evidence.length === 0 ? 'no evidence' : item.evidence.map((e) => evidenceLink(e, dir)).join(', ');
      const state = item.notApplicable ? 'not-applicable' : item.ok ? 'ticked' : 'crossed';
      return `<li class="${state}" data-ok="${item.ok}"><span class="mark ${item.notApplicable ? 'na' : item.ok ? 'ok' : 'crossed'}" aria-label="${state.replace('-', ' ')}">${checklistMark(item)}</span><strong>${escapeHtml(item.item)}</strong> <span class="reason">${escapeHtml(item.reason)}</span> <span class="evidence">(${evidence})</span></li>`;
    });
    return `<h3>${escapeHtml(section)}</h3>\n${entries.length === 0 ? '<p>No entries.</p>' : `<ul class="checklist">\n${lines.join('\n')}\n</ul>`}`;
  });
  return `<section id="checklist">\n<h2>7. Acceptance checklist</h2>\n${parts.join('\n')}\n</section>`;
}

function stepDetail(step: GateStep, dir: string | undefined): string {
  const failing = checksToShow(step).length;
  const checks =
    step.checks.length === 0
      ? '<p>No checks.</p>'
      : htmlTable(
          ['', 'check', 'message', 'where', 'measured'],
          step.checks.map((check) => [statusCell(check.status), check.name, check.message, formatLocation(check.location), check.measured === undefined ? '' : formatMeasured(check.measured)]),
          rowClassOf(step.checks.map((check) => check.status)),
        );
  const evidence = step.evidence.length === 0 ? '' : `<p>Evidence: ${step.evidence.map((e) => evidenceLink(e, dir)).join(', ')}</p>`;
  return `<article id="${stepAnchor(step.id)}" data-status="${step.status}">
<h3>${escapeHtml(STATUS_MARK[step.status])} ${escapeHtml(step.id)}: ${escapeHtml(step.title)}</h3>
<p>${statusHtml(step.status)} in ${escapeHtml(formatDurationMs(step.durationMs))}: ${escapeHtml(stepSummary(step))}${failing > 0 ? ` (${failing} to look at)` : ''}.</p>
${step.checks.length > 12 && failing === 0 ? `<details><summary>${step.checks.length} checks</summary>\n${checks}\n</details>` : checks}
${evidence}
</article>`;
}

/**
 * `acceptance.html`: the report as one self-contained page. Mermaid's browser bundle is inlined
 * and renders every diagram in the page; charts are inline SVG; a Content-Security-Policy
 * forbids any fetch. Every diagram figure ends up `data-diagram="rendered"` or `"failed"`
 * (shown in red with Mermaid's message), and `<body data-diagrams>` sums them up. Where the
 * optional mermaid package is not installed, no script is inlined: every figure and the body
 * are `"source"`, each showing its Mermaid source, and the banner says how to get drawings.
 */
export async function renderAcceptanceHtml(report: AcceptanceReport, options: AcceptanceHtmlOptions = {}): Promise<string> {
  const { dir } = options;
  const sections = acceptanceSections(report);
  const mermaid = await mermaidBundle();
  const diagrams = sections.otherDiagrams.length + sections.scenarioDiagrams.length;
  const drawn = mermaid !== undefined;
  const bodyState = diagrams === 0 ? 'rendered' : drawn ? 'pending' : 'source';
  const banner =
    diagrams === 0
      ? { className: ' rendered', text: 'No diagrams in this report.' }
      : drawn
        ? { className: '', text: `Rendering ${diagrams} diagrams…` }
        : { className: ' source', text: `${diagrams} diagrams shown as their Mermaid source: mermaid (an optional dependency of accord) was not installed where this report was written; \`npm install mermaid\` draws them.` };
  const verdict = report.ok ? 'PASSED' : 'FAILED';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acceptance report: ${verdict}</title>
<style>${STYLE}</style>
</head>
<body data-diagrams="${bodyState}" data-ok="${report.ok}">
<header>
<h1>Acceptance report <span class="verdict ${report.ok ? 'pass' : 'fail'}">${verdict}</span></h1>
<p>Started ${escapeHtml(report.startedAt)}, ran ${escapeHtml(formatDurationMs(report.durationMs))}. Steps: ${escapeHtml(stepCounts(report.steps))}.</p>
<nav><a href="#scope">Scope</a><a href="#scenarios">Scenarios</a><a href="#performance">Performance</a><a href="#contracts">Contracts</a><a href="#environment">Environment</a><a href="#dependencies">Dependencies</a><a href="#checklist">Checklist</a><a href="#details">Steps in detail</a></nav>
</header>
<p id="diagram-status" class="diagram-status${banner.className}" role="status">${escapeHtml(banner.text)}</p>
<section id="steps">
<h2>Steps</h2>
${stepsTable(report.steps)}
</section>
${scopeSection(report, sections, drawn)}
${scenariosSection(sections, drawn)}
${performanceSection(sections)}
${contractsSection(sections)}
${keyValueSection('environment', '5. Environment', Object.entries(report.environment), ['setting', 'value'])}
${keyValueSection('dependencies', '6. Dependencies', Object.entries(report.dependencies), ['package', 'version'])}
${checklistSection(sections, dir)}
<section id="details">
<h2>Steps in detail</h2>
${report.steps.map((step) => stepDetail(step, dir)).join('\n')}
</section>
<footer>${drawn ? `Diagrams rendered in this page by Mermaid ${escapeHtml(mermaid.version)}, bundled into the file` : 'Diagrams shown as Mermaid source (mermaid not installed)'}; charts are inline SVG; the page fetches nothing.</footer>
${diagrams === 0 || !drawn ? '' : `<script>${mermaid.code}</script>\n<script>${RENDER_SCRIPT}</script>`}
</body>
</html>
`;
}
