import { example, REPO_ROOT } from '../support/accord.js';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AcceptanceReport } from '../../src/report/model.js';

// Broken inputs for `accord gate` end-to-end tests, each a copy of config/integration in a temp dir.

export const GATE_FIXTURES = join(REPO_ROOT, 'test/fixtures/gate');

/** A copy of config/integration with some files replaced: the broken input of one case. */
export async function configWith(dir: string, name: string, files: Readonly<Record<string, string>>): Promise<string> {
  const target = join(dir, name);
  await mkdir(target, { recursive: true });
  for (const file of await readdir(example('config/integration'))) await copyFile(join(example('config/integration'), file), join(target, file));
  for (const [file, text] of Object.entries(files)) await writeFile(join(target, file), text);
  return target;
}

/** A config whose migrations add a column schemas/database-v2.sql does not have: the schema step fails. */
export async function driftedConfig(dir: string): Promise<string> {
  const migrations = join(dir, 'migrations');
  await mkdir(migrations);
  for (const file of await readdir(example('migrations'))) await copyFile(join(example('migrations'), file), join(migrations, file));
  await copyFile(`${GATE_FIXTURES}/drifting-migration/003_add_warehouse.sql`, join(migrations, '003_add_warehouse.sql'));
  const environment = (await readFile(example('config/integration/environment.yaml'), 'utf8')).replace(/^ {2}migrations: migrations$/m, `  migrations: ${migrations}`);
  return configWith(dir, 'drift', { 'environment.yaml': environment, 'schema.yaml': `expected: schemas/database-v2.sql\nmigrations: ${migrations}\n` });
}

/** The acceptance.json a gate run wrote. */
export async function reportOf(reportDir: string): Promise<AcceptanceReport> {
  return JSON.parse(await readFile(join(reportDir, 'acceptance.json'), 'utf8')) as AcceptanceReport;
}
