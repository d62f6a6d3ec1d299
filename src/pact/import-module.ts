import { readFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `require('accord')` gives a CommonJS module loaded here (the functions it defines its states with). */
export type AccordForCommonJs = Readonly<Record<string, unknown>>;

/**
 * Imports a team's module by URL, whatever its project is: ESM or CommonJS, `.js .mjs .cjs .ts
 * .mts .cts`. The built CLI (dist/) runs without tsx, so TypeScript goes through tsx's scoped
 * APIs, loaded only then: `tsImport` for ES modules, tsx's `require` for CommonJS ones (a `.ts`
 * file in a CommonJS package compiled as an ES module import fails inside tsx).
 */
export async function importModule(url: string, accord?: AccordForCommonJs): Promise<unknown> {
  const typescript = /\.[cm]?tsx?$/.test(url);
  if ((await moduleFormat(url)) === 'commonjs' && accord !== undefined) {
    // tsx's hooks go on first, so that the stand-in for 'accord' is asked before them.
    const unregister = typescript ? (await import('tsx/cjs/api')).register() : () => undefined;
    try {
      return unwrapCommonJs({ default: withAccord(accord, () => createRequire(import.meta.url)(fileURLToPath(url)) as unknown) });
    } finally {
      unregister();
    }
  }
  if (!typescript) return unwrapCommonJs(await import(url));
  if ((await moduleFormat(url)) === 'commonjs') {
    const { require: tsxRequire } = await import('tsx/cjs/api');
    return unwrapCommonJs({ default: tsxRequire(fileURLToPath(url), import.meta.url) as unknown });
  }
  if (import.meta.url.endsWith('.ts')) return import(url);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve };

/**
 * Runs `load` with `require('accord')` answered by `accord`. The package is ES modules whose graph
 * has top-level await (and ESM-only dependencies), which Node's `require` cannot load; a
 * CommonJS states module needs only the functions it defines its states with.
 */
function withAccord<T>(accord: AccordForCommonJs, load: () => T): T {
  const cache = createRequire(import.meta.url).cache;
  const id = join(dirname(fileURLToPath(import.meta.url)), '[accord for commonjs].cjs');
  const virtual = new Module(id);
  virtual.exports = accord;
  virtual.loaded = true;
  cache[id] = virtual;
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolve(this: unknown, request: string, ...rest: unknown[]) {
    return request === 'accord' ? id : original.call(this, request, ...rest);
  };
  try {
    return load();
  } finally {
    moduleInternals._resolveFilename = original;
    // The team's module stays cached (a second load gives the same handlers); the stand-in does not.
    delete cache[id];
  }
}

/** How Node reads the file: by extension, else the nearest package.json's `type`. */
async function moduleFormat(url: string): Promise<'module' | 'commonjs'> {
  if (/\.m[jt]sx?$/.test(url)) return 'module';
  if (/\.c[jt]sx?$/.test(url)) return 'commonjs';
  let dir = dirname(fileURLToPath(url));
  for (;;) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return 'commonjs';
    dir = parent;
  }
}

/**
 * A CommonJS module compiled from `export default x` has `module.exports.default === x`; Node's
 * import gives `module.exports` as the default. Either way the caller gets `{ default: x }`.
 */
function unwrapCommonJs(module: unknown): unknown {
  const outer = (module as { default?: unknown }).default;
  if (typeof outer === 'object' && outer !== null && (outer as { __esModule?: unknown }).__esModule === true && 'default' in outer) {
    return { ...(module as object), default: (outer as { default: unknown }).default };
  }
  return module;
}
