import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

/** The repository root (this file is test/conformance/corpus.ts). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The corpora folder: `ACCORD_CORPORA`, else `corpora` in a `shared` folder beside the repository. */
export const CORPORA = path.resolve(REPO_ROOT, process.env.ACCORD_CORPORA ?? '../shared/corpora');

/** The numbered case folders of one corpus, sorted; fails loudly when the corpus is missing. */
export function corpusCases(name: string): { name: string; dir: string }[] {
  const dir = path.join(CORPORA, name);
  if (!existsSync(dir)) throw new Error(`corpus ${dir} not found (set ACCORD_CORPORA to the corpora folder)`);
  return readdirSync(dir)
    .filter((entry) => /^\d{3}-/.test(entry))
    .sort()
    .map((entry) => ({ name: entry, dir: path.join(dir, entry) }));
}

/** Case names listed in a checked-in conformance file (table rows that start with `| NNN-`), by measure. */
export function listedDisagreements(file: string): Map<string, Set<string>> {
  const listed = new Map<string, Set<string>>();
  for (const line of readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n')) {
    const match = /^\|\s*`?(\d{3}-[^`|\s]+)`?\s*\|\s*([^|]+?)\s*\|/.exec(line);
    if (match === null) continue;
    const measure = match[2] as string;
    if (!listed.has(measure)) listed.set(measure, new Set());
    listed.get(measure)?.add(match[1] as string);
  }
  return listed;
}

/** `12/13 = 92.3%` */
export function ratio(agree: number, total: number): string {
  return `${agree}/${total} = ${total === 0 ? 'n/a' : `${((100 * agree) / total).toFixed(1)}%`}`;
}

/** One recorded agreement figure: `agree` cases of `total`. */
export interface Figure {
  readonly agree: number;
  readonly total: number;
}

/** The committed figures (figures.json), keyed `corpus.measure`. */
export const RECORDED_FIGURES_FILE = path.join(REPO_ROOT, 'test/conformance/figures.json');

/** The figure recorded for `key`; throws when none is, so a new measure is recorded on purpose. */
export function recordedFigure(key: string): Figure {
  const figures = JSON.parse(readFileSync(RECORDED_FIGURES_FILE, 'utf8')) as Record<string, Figure>;
  const figure = figures[key];
  if (!figure) throw new Error(`no recorded figure "${key}" in ${RECORDED_FIGURES_FILE}`);
  return figure;
}

/** Fails when a measured figure agrees on fewer cases than recorded, or the corpus changed size. */
export function expectAtLeastRecorded(key: string, measured: Figure): void {
  const recorded = recordedFigure(key);
  expect(measured.total, `${key}: corpus size (recorded ${recorded.total})`).to.equal(recorded.total);
  expect(measured.agree, `${key}: agreement dropped below the recorded ${ratio(recorded.agree, recorded.total)}`).to.be.at.least(recorded.agree);
}
