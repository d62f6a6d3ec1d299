import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { planConfig } from './plan-config.js';
import type { InitPlan, InitRole } from './plan-config.js';
import { scanRepository } from './scan-repository.js';

/** Options for {@link initRepository}. */
export interface InitOptions {
  readonly role: InitRole;
  /** The repository root. @default process.cwd() */
  readonly root?: string;
  /** Where the config goes, relative to the root. @default config/integration */
  readonly configDir?: string;
}

/** What {@link initRepository} did: the plan, and which of its files it wrote (the others were already there, identical). */
export interface InitResult extends InitPlan {
  readonly written: readonly string[];
}

/**
 * `accord init`: scans the repository, plans a starting config for the role and writes it. Never
 * overwrites: a file that exists with other content is bad input naming it, and nothing is
 * written; one that exists with the same content is left as it is.
 */
export async function initRepository(options: InitOptions): Promise<InitResult> {
  const root = resolve(options.root ?? process.cwd());
  const plan = planConfig(await scanRepository(root), options.role, options.configDir ?? 'config/integration');
  const pending: { path: string; text: string }[] = [];
  for (const file of plan.files) {
    const existing = await readFile(resolve(root, file.path), 'utf8').catch(() => undefined);
    if (existing === file.text) continue;
    if (existing !== undefined) throw new AccordError(ErrorCodes.INIT_FILE_EXISTS, `${file.path} already exists: accord init never overwrites a file (move it away, or edit it by hand)`);
    pending.push(file);
  }
  for (const file of pending) {
    await mkdir(dirname(resolve(root, file.path)), { recursive: true });
    // `wx`: a file created meanwhile is not overwritten either.
    await writeFile(resolve(root, file.path), file.text, { flag: 'wx' });
  }
  return { ...plan, written: pending.map((file) => file.path) };
}
