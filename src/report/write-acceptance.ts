import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { renderAcceptanceHtml } from './acceptance-html.js';
import { renderAcceptanceJson } from './acceptance-json.js';
import { renderAcceptanceMarkdown } from './acceptance-markdown.js';
import { acceptanceSections } from './acceptance-sections.js';
import type { AcceptanceReport } from './model.js';
import { stepSuites } from './steps-junit.js';
import { renderJunit } from './junit.js';

/** The folder, under the report dir, that holds each chart as its own SVG file (linked from the Markdown). */
export const CHARTS_DIR = 'acceptance-charts';

/**
 * Throws ACCORD_REPORT_DIR_INVALID when `dir` exists and is not a directory (nor can hold one),
 * so a caller can check it before any long work starts.
 */
export async function checkReportDir(dir: string): Promise<void> {
  for (let path = dir; ; path = dirname(path)) {
    const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw new AccordError(ErrorCodes.REPORT_DIR_INVALID, `report dir ${dir}: ${error.message}`);
    });
    if (found !== undefined) {
      if (!found.isDirectory()) throw new AccordError(ErrorCodes.REPORT_DIR_INVALID, `report dir ${dir}: ${path} is a file, not a directory`);
      return;
    }
    if (dirname(path) === path) return;
  }
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'chart';

/**
 * Writes `acceptance.json`, `acceptance.md`, `acceptance.junit.xml` (one testsuite per step)
 * and the self-contained `acceptance.html` into `dir` (created if needed), plus each chart as
 * `acceptance-charts/NN-title.svg` for the Markdown; returns every path written.
 */
export async function writeAcceptanceReport(report: AcceptanceReport, dir: string): Promise<{ files: string[] }> {
  await checkReportDir(dir);
  await mkdir(dir, { recursive: true });
  const charts = acceptanceSections(report).charts;
  const chartFiles = charts.map((chart, index) => join(dir, CHARTS_DIR, `${String(index + 1).padStart(2, '0')}-${slug(chart.title)}.svg`));
  if (charts.length > 0) await mkdir(join(dir, CHARTS_DIR), { recursive: true });
  const junit = renderJunit({ name: 'accord gate', durationMs: report.durationMs, suites: stepSuites(report.steps, report.startedAt) });
  const files = {
    json: join(dir, 'acceptance.json'),
    markdown: join(dir, 'acceptance.md'),
    junit: join(dir, 'acceptance.junit.xml'),
    html: join(dir, 'acceptance.html'),
  };
  await Promise.all([
    writeFile(files.json, renderAcceptanceJson(report)),
    writeFile(files.markdown, renderAcceptanceMarkdown(report, { dir, chartFiles })),
    writeFile(files.junit, junit),
    renderAcceptanceHtml(report, { dir }).then((html) => writeFile(files.html, html)),
    ...charts.map((chart, index) => writeFile(chartFiles[index] ?? '', chart.svg)),
  ]);
  return { files: [files.json, files.markdown, files.junit, files.html, ...chartFiles] };
}
