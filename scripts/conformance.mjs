#!/usr/bin/env node
// `npm run conformance`: Accord's agreement with oasdiff, PactFlow, migra and pg-schema-diff on
// their corpora. Kept out of `npm test` because the corpora are not part of the repository.
// The corpora folder is ACCORD_CORPORA (default: ../shared/corpora beside the repository); the
// tests fail when a figure drops below the one recorded in test/conformance/figures.json.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const given = process.env.ACCORD_CORPORA;
const corpora = resolve(root, given ?? '../shared/corpora');
const needed = ['oasdiff', 'pact-openapi', 'migra', 'pg-schema-diff'];
const missing = !existsSync(corpora) || !statSync(corpora).isDirectory() ? needed : needed.filter((name) => !existsSync(join(corpora, name)));
if (missing.length > 0) {
  const where = given === undefined ? `${corpora} (the default; set ACCORD_CORPORA to the corpora folder)` : `${corpora} (ACCORD_CORPORA)`;
  process.stderr.write(`accord conformance: no ${missing.join(', ')} corpus in ${where}\n`);
  process.exit(2);
}
const mocha = join(root, 'node_modules/mocha/bin/mocha.js');
const run = spawnSync(process.execPath, [mocha, 'test/conformance/**/*.test.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ACCORD_CORPORA: corpora },
});
process.exit(run.status ?? 1);
