#!/usr/bin/env node
/**
 * Transpiles the checkout's TypeScript with esbuild, in two targets: Accord (src/ -> dist/, what
 * the package ships) and the example system (examples/orders/services/*\/src/ ->
 * examples/orders/dist/, what its environment runs). Transpile only (no bundling, no type-check;
 * `npm run typecheck` does that), ESM for Node 20, with source maps. With `--types` it also writes
 * the package's declarations (dist/**\/*.d.ts, tsc with tsconfig.build.json): `npm run build` and
 * prepack, so a tarball always has JavaScript and types of the same source. `ensureBuilt()` rebuilds a target when a source is newer than its
 * .build-stamp.json or a source was added or deleted, so neither output can go stale in a checkout.
 *
 * Building Accord also writes dist/config/validators.generated.cjs, its YAML schemas compiled
 * ahead of time (see generateValidators).
 *
 * Plain JavaScript on purpose: bin/accord.js runs it, in a checkout only, before anything is built.
 * An installed package has no scripts/ and runs dist/ as shipped.
 * Run directly: `node scripts/build.mjs` (prepare), `--types` (`npm run build`, prepack), or
 * `--if-stale` (pretest).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file lives in scripts/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where Accord's JavaScript goes, mirroring src/. */
export const DIST = join(ROOT, 'dist');

/**
 * What is built: each target's sources (one `*` level at most) relative to the root, the folder
 * their paths are taken from, and where the JavaScript goes.
 */
export const TARGETS = [
  { name: 'accord', sources: ['src'], outbase: 'src', outdir: 'dist' },
  { name: 'example', sources: ['examples/orders/services/*/src'], outbase: 'examples/orders', outdir: 'examples/orders/dist' },
];
// Files code reads next to itself through import.meta.url (src/broker/migrate.ts: ./migrations/*.sql).
const ASSET_EXTENSIONS = ['.sql'];
const THIS_FILE = fileURLToPath(import.meta.url);

/** Expands a target's source patterns (one `*` level at most) into existing directories, relative to root. */
function sourceDirs(root, target) {
  const dirs = [];
  for (const pattern of target.sources) {
    const star = pattern.indexOf('/*/');
    if (star < 0) {
      if (existsSync(join(root, pattern))) dirs.push(pattern);
      continue;
    }
    const parent = pattern.slice(0, star);
    const rest = pattern.slice(star + 3);
    if (!existsSync(join(root, parent))) continue;
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(root, parent, entry.name, rest))) dirs.push(`${parent}/${entry.name}/${rest}`);
    }
  }
  return dirs;
}

/** Every TypeScript source and copied asset, relative to root, sorted; `.d.ts` files are types only. */
export function listSources(root = ROOT, target = TARGETS[0]) {
  const files = [];
  for (const dir of sourceDirs(root, target)) {
    for (const name of readdirSync(join(root, dir), { recursive: true })) {
      const file = `${dir}/${String(name)}`;
      if ((file.endsWith('.ts') && !file.endsWith('.d.ts')) || ASSET_EXTENSIONS.some((ext) => file.endsWith(ext))) files.push(file);
    }
  }
  return files.sort();
}

function readStamp(stampFile) {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * What dist/ lacks: `{ reason: undefined }` when it is fresh; else why, and `changed` (the sources
 * newer than the stamp) when only edits happened, so just those need transpiling again. A full
 * rebuild is due without a stamp, when a source was added or deleted, or when this script changed.
 */
export function staleness(root = ROOT, target = TARGETS[0]) {
  const stamp = readStamp(join(root, target.outdir, '.build-stamp.json'));
  if (!stamp || typeof stamp.startedAt !== 'number' || !Array.isArray(stamp.files)) return { reason: `${target.outdir}/ has not been built` };
  const files = listSources(root, target);
  if (files.length !== stamp.files.length || files.some((file, i) => file !== stamp.files[i])) return { reason: 'sources were added or deleted' };
  if (statSync(THIS_FILE).mtimeMs > stamp.startedAt) return { reason: 'scripts/build.mjs changed' };
  const changed = files.filter((file) => statSync(join(root, file)).mtimeMs > stamp.startedAt);
  return changed.length === 0 ? { reason: undefined } : { reason: `${changed[0]}${changed.length > 1 ? ` and ${changed.length - 1} more` : ''} changed`, changed };
}

// Written to a temporary name and renamed: a process importing dist/ while another rebuilds it
// (tests run side by side) sees the old file or the new one, never half of one.
function writeAtomically(file, contents) {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/**
 * Builds dist/ (over an older build, removing outputs of deleted sources); with `only`, just
 * those sources, the rest being up to date. Returns what it did.
 */
export async function build(root = ROOT, only = undefined, target = TARGETS[0]) {
  const started = Date.now();
  // Sources edited from here on are newer than the stamp, so the next check rebuilds them.
  const startedAt = started - 1;
  const dist = join(root, target.outdir);
  const files = listSources(root, target);
  const selected = only ?? files;
  const entryPoints = selected.filter((file) => file.endsWith('.ts')).map((file) => join(root, file));
  const { build: esbuild } = await import('esbuild');
  const result = entryPoints.length === 0 ? { outputFiles: [] } : await esbuild({
    entryPoints,
    outbase: join(root, target.outbase),
    outdir: dist,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Linked maps (paths relative to the .js file), so stack traces name the .ts source.
    sourcemap: true,
    write: false,
    logLevel: 'silent',
  }).catch((error) => {
    // esbuild's own message is "Build failed with N errors"; name the first one where it is.
    const first = error?.errors?.[0];
    if (!first) throw error;
    const where = first.location ? `${relative(root, first.location.file)}:${first.location.line}:${first.location.column}: ` : '';
    throw new Error(`${where}${first.text}`, { cause: error });
  });
  for (const output of result.outputFiles) writeAtomically(output.path, output.contents);
  const outputOf = (file) => join(dist, relative(target.outbase, file));
  for (const file of selected.filter((file) => !file.endsWith('.ts'))) {
    mkdirSync(dirname(outputOf(file)), { recursive: true });
    copyFileSync(join(root, file), outputOf(file));
  }
  // Outputs of sources deleted since the last build would otherwise still import fine.
  const previous = readStamp(join(dist, '.build-stamp.json'));
  const kept = new Set(files);
  for (const old of Array.isArray(previous?.files) ? previous.files : []) {
    if (kept.has(old)) continue;
    const out = outputOf(old.replace(/\.ts$/, '.js'));
    rmSync(out, { force: true });
    if (out.endsWith('.js')) rmSync(`${out}.map`, { force: true });
  }
  if (target === TARGETS[0]) {
    await generateValidators(root);
    await generateMetaValidators(root);
  }
  writeAtomically(join(dist, '.build-stamp.json'), `${JSON.stringify({ startedAt, builtAt: new Date().toISOString(), files }, null, 1)}\n`);
  return { files: files.length, outputs: result.outputFiles.length, ms: Date.now() - started };
}

/**
 * The YAML schemas Accord validates with ajv, as [module under dist/, export]: an export is one
 * schema or an object of them. `generateValidators` compiles these ahead of time; a schema not
 * listed still works (compiled at run time, ~0.3 s of CPU per command).
 */
const PRECOMPILED_SCHEMAS = [
  ['config/schemas.js', 'SECTION_SCHEMAS'],
  ['gate/gate-config.js', 'gateSchema'],
  ['load/profile-schema.js', 'loadFileSchema'],
  ['load/profile-schema.js', 'profileFileSchema'],
  ['scenarios/scenarios-config.js', 'scenariosSchema'],
  ['broker/broker-config.js', 'brokerConfigSchema'],
];

/**
 * Writes dist/config/validators.generated.cjs: ajv's standalone code for every schema in
 * PRECOMPILED_SCHEMAS, with the options validate-yaml uses, keyed by the schema's JSON. Compiling
 * them costs every CLI command about 0.3 s of CPU otherwise; a stale file is harmless, as a schema
 * whose JSON is not a key is compiled at run time. CommonJS because ajv's standalone code
 * requires its runtime helpers. Returns how many validators it wrote.
 */
export async function generateValidators(root = ROOT) {
  const dist = join(root, 'dist');
  const schemas = [];
  for (const [file, name] of PRECOMPILED_SCHEMAS) {
    const module = await import(pathToFileURL(join(dist, file)).href);
    const value = module[name];
    if (value === undefined) throw new Error(`dist/${file} has no export ${name} (a schema scripts/build.mjs precompiles)`);
    if (typeof value.type === 'string' || Array.isArray(value.type)) schemas.push(value);
    else schemas.push(...Object.values(value));
  }
  const { Ajv } = await import('ajv');
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  // The options validate-yaml.ts compiles with, and the source kept for standalone code.
  const { AJV_OPTIONS, GENERATED_VALIDATORS } = await import(pathToFileURL(join(dist, 'config', 'precompiled.js')).href);
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  const keys = [];
  const refs = {};
  schemas.forEach((schema, index) => {
    ajv.addSchema(schema, `s${index}`);
    refs[`v${index}`] = `s${index}`;
    keys.push(JSON.stringify(schema));
  });
  const code = `${standaloneCode(ajv, refs)}\nexports.keys = ${JSON.stringify(keys)};\n`;
  writeAtomically(join(dist, 'config', GENERATED_VALIDATORS), code);
  return schemas.length;
}

/**
 * Writes dist/contract/openapi-3.{0,1}-meta.generated.cjs: ajv's standalone code for the OpenAPI
 * meta-schemas as swagger-parser prepares and compiles them (draft-04 for 3.0, 2020-12 for 3.1),
 * each with the key of the published schema it was compiled from. Without them every lint
 * compiles the meta-schema again (~0.25 s of CPU). Returns how many it wrote.
 */
export async function generateMetaValidators(root = ROOT) {
  const dist = join(root, 'dist');
  const { openApiMetaSchema, generatedMetaValidatorFile, META_AJV_OPTIONS } = await import(pathToFileURL(join(dist, 'contract', 'openapi-meta-schema.js')).href);
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  const { default: AjvDraft04 } = await import('ajv-draft-04');
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const kinds = ['openapi-3.0', 'openapi-3.1'];
  for (const kind of kinds) {
    const { schema, draft, key } = openApiMetaSchema(kind);
    const options = { ...META_AJV_OPTIONS, code: { source: true } };
    const ajv = draft === '04' ? new AjvDraft04(options) : new Ajv2020(options);
    const code = `${standaloneCode(ajv, ajv.compile(schema))}\nmodule.exports.key = ${JSON.stringify(key)};\n`;
    writeAtomically(join(dist, 'contract', generatedMetaValidatorFile(kind)), code);
  }
  return kinds.length;
}

/**
 * Writes Accord's type declarations into dist/ (tsc -p tsconfig.build.json: declarations only,
 * nothing when the source has a type error) and removes the ones whose source is gone, so the
 * package's .d.ts files import nothing it does not ship. Returns how many there are.
 */
export function buildTypes(root = ROOT) {
  const started = Date.now();
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`tsc -p tsconfig.build.json failed, no declarations written:\n${output || error.message}`, { cause: error });
  }
  let declarations = 0;
  for (const name of readdirSync(join(root, 'dist'), { recursive: true })) {
    const file = String(name);
    if (!file.endsWith('.d.ts')) continue;
    if (existsSync(join(root, 'src', file.replace(/\.d\.ts$/, '.ts')))) declarations += 1;
    else rmSync(join(root, 'dist', file), { force: true });
  }
  return { declarations, ms: Date.now() - started };
}

/**
 * The example has a package.json of its own (it is a team's repository in miniature), so its
 * `import … from 'accord'` finds Accord as any project does, in node_modules: in this checkout,
 * node_modules/accord links to the checkout itself (what `npm install` of the example's
 * `"accord": "file:../.."` would make). Made on every build; npm ci removes it with node_modules.
 */
export function linkSelf(root = ROOT) {
  const link = join(root, 'node_modules', 'accord');
  if (!existsSync(join(root, 'node_modules')) || existsSync(join(link, 'package.json'))) return;
  rmSync(link, { force: true });
  symlinkSync('..', link, 'dir');
}

const ensured = new Map();
/**
 * Rebuilds every target that is missing or stale (see {@link staleness}); once per process and
 * root. Resolves to the reasons it rebuilt, joined, or undefined when everything was fresh.
 */
export function ensureBuilt(root = ROOT) {
  root = resolve(root);
  let pending = ensured.get(root);
  if (!pending) {
    pending = (async () => {
      linkSelf(root);
      const reasons = [];
      for (const target of TARGETS) {
        if (!existsSync(join(root, target.outbase))) continue;
        const { reason, changed } = staleness(root, target);
        if (reason === undefined) continue;
        await build(root, changed, target);
        reasons.push(reason);
      }
      return reasons.length === 0 ? undefined : reasons.join('; ');
    })();
    ensured.set(root, pending);
  }
  return pending;
}

// Progress goes to stderr: npm runs this as prepack, and `npm pack --json` must keep stdout JSON.
if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE) {
  // --if-stale (pretest): rebuild only what changed, as the CLI does before running.
  if (process.argv.includes('--if-stale')) {
    const reason = await ensureBuilt();
    process.stderr.write(reason === undefined ? 'accord build: up to date\n' : `accord build: rebuilt (${reason})\n`);
  } else {
    linkSelf();
    for (const target of TARGETS) {
      if (!existsSync(join(ROOT, target.outbase))) continue;
      const { files, outputs, ms } = await build(ROOT, undefined, target);
      process.stderr.write(`accord build: ${files} sources -> ${target.outdir}/ (${outputs} outputs) in ${ms} ms\n`);
    }
    if (process.argv.includes('--types')) {
      try {
        const { declarations, ms } = buildTypes();
        process.stderr.write(`accord build: ${declarations} declarations -> dist/ in ${ms} ms\n`);
      } catch (error) {
        process.stderr.write(`accord build: ${error.message}\n`);
        process.exitCode = 1;
      }
    }
  }
}
