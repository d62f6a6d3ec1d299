import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderLoadHtml } from './render-html.js';
import { renderLoadJunit } from './render-junit.js';
import { renderLoadMarkdown } from './render-markdown.js';
import type { LoadResult } from './load-result.js';

/** Where {@link writeLoadReports} put each report. */
export interface LoadReportFiles {
  readonly json: string;
  readonly markdown: string;
  readonly html: string;
  readonly junit: string;
}

/** The result as JSON (the `--format json` shape; the raw resource samples included). */
export function renderLoadJson(result: LoadResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Writes the JSON, Markdown, HTML and JUnit reports of a run into `dir` (created if needed). */
export async function writeLoadReports(result: LoadResult, dir: string): Promise<LoadReportFiles> {
  await mkdir(dir, { recursive: true });
  const base = `load-${result.profile.name}`;
  const files: LoadReportFiles = {
    json: join(dir, `${base}.json`),
    markdown: join(dir, `${base}.md`),
    html: join(dir, `${base}.html`),
    junit: join(dir, `${base}.junit.xml`),
  };
  await Promise.all([
    writeFile(files.json, renderLoadJson(result)),
    writeFile(files.markdown, renderLoadMarkdown(result)),
    renderLoadHtml(result).then((html) => writeFile(files.html, html)),
    writeFile(files.junit, renderLoadJunit(result)),
  ]);
  return files;
}
