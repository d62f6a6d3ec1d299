import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is test/unit/contract/corpus.ts). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/** The shared corpora sit beside the repository (CI clones the repo with shared/ next to it). */
export const CORPORA = path.resolve(REPO_ROOT, '../shared/corpora');

/** The numbered case folders of one corpus, sorted; fails loudly when the corpus is missing. */
export function corpusCases(name: string): { name: string; dir: string }[] {
  const dir = path.join(CORPORA, name);
  if (!existsSync(dir)) throw new Error(`corpus ${dir} not found: the shared/ folder must sit beside the repository`);
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
