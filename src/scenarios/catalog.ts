import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedConfig } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { importModule } from '../pact/import-module.js';
import { SCENARIO_PROOFS } from './scenario.js';
import type { Scenario } from './scenario.js';
import { loadScenariosConfig, requireCatalog } from './scenarios-config.js';
import type { ScenariosConfig } from './scenarios-config.js';

/** A team's scenario catalog as loaded from the module scenarios.yaml names. */
export interface ScenarioCatalog {
  /** The module, absolute. */
  readonly file: string;
  /** Its scenarios, in the order they run. */
  readonly scenarios: readonly Scenario[];
}

/** One catalog entry as `accord scenarios --list` prints it. */
export interface CatalogEntry {
  readonly name: string;
  readonly title: string;
  readonly proves: readonly string[];
  readonly checks: readonly string[];
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Imports a catalog module (TypeScript or JavaScript, ESM; loaded the way provider states are)
 * and checks what it exports: an array of defineScenario(...) results as its default export or
 * as `scenarios`, each with a kebab-case name of its own, a title, an actions function and
 * checks. Anything else is one line naming the module and what is wrong.
 */
export async function loadCatalog(file: string, root = process.cwd()): Promise<ScenarioCatalog> {
  const shown = relative(root, file) || file;
  let module: { default?: unknown; scenarios?: unknown };
  try {
    module = (await importModule(pathToFileURL(file).href)) as typeof module;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // CommonJS (tsx's require) says MODULE_NOT_FOUND where ES imports say ERR_MODULE_NOT_FOUND.
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(file)) {
      throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `scenario catalog ${shown} not found: expected a module whose default export is an array of defineScenario(...)`);
    }
    throw new AccordError(ErrorCodes.CONFIG_INVALID, `scenario catalog ${shown} failed to load: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const exported = module.default ?? module.scenarios;
  if (!Array.isArray(exported)) {
    throw new AccordError(ErrorCodes.CONFIG_INVALID, `scenario catalog ${shown} must default-export (or export as \`scenarios\`) an array of defineScenario(...), got ${exported === undefined ? 'no such export' : typeof exported}`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  exported.forEach((entry: unknown, index) => {
    const scenario = entry as Partial<Scenario> | undefined;
    const at = typeof scenario?.name === 'string' ? `"${scenario.name}"` : `#${index + 1}`;
    if (typeof scenario !== 'object' || scenario === null) return void problems.push(`entry #${index + 1} is not a scenario (${typeof entry})`);
    if (typeof scenario.name !== 'string' || !NAME.test(scenario.name)) problems.push(`scenario ${at}: name must be kebab-case (lowercase letters, digits, -)`);
    else if (seen.has(scenario.name)) problems.push(`scenario ${at}: the name is used twice`);
    else seen.add(scenario.name);
    if (typeof scenario.title !== 'string' || scenario.title === '') problems.push(`scenario ${at}: title is missing`);
    if (typeof scenario.actions !== 'function') problems.push(`scenario ${at}: actions must be a function`);
    if (!Array.isArray(scenario.checks) || scenario.checks.some((check) => typeof check?.name !== 'string' || typeof check.verify !== 'function')) problems.push(`scenario ${at}: checks must be an array of { name, verify }`);
    const unknown = (scenario.proves ?? []).filter((proof) => !SCENARIO_PROOFS.includes(proof));
    if (unknown.length > 0) problems.push(`scenario ${at}: proves ${unknown.map((p) => `"${String(p)}"`).join(', ')}, expected some of ${SCENARIO_PROOFS.join(', ')}`);
  });
  if (problems.length > 0) throw new AccordError(ErrorCodes.CONFIG_INVALID, `scenario catalog ${shown}: ${problems.join('; ')}`);
  return { file, scenarios: Object.freeze([...(exported as Scenario[])]) };
}

/**
 * The catalog scenarios.yaml names, loaded; undefined when the config configures none (a
 * system without scenarios). A bad scenarios.yaml or catalog module throws.
 */
export async function loadConfiguredCatalog(config: ResolvedConfig, scenarios?: ScenariosConfig): Promise<ScenarioCatalog | undefined> {
  const settings = scenarios ?? (await loadScenariosConfig(config));
  return settings.catalog === undefined ? undefined : loadCatalog(settings.catalog, config.root);
}

/** The catalog scenarios.yaml names, or the one-line error saying none is configured. */
export async function requireConfiguredCatalog(config: ResolvedConfig, scenarios?: ScenariosConfig): Promise<ScenarioCatalog> {
  const settings = scenarios ?? (await loadScenariosConfig(config));
  return loadCatalog(requireCatalog(config, settings), config.root);
}

/** Each scenario's name, title, what it proves and its checks' names, as `--list` prints them. */
export function describeCatalog(scenarios: readonly Scenario[]): CatalogEntry[] {
  return scenarios.map((scenario) => ({ name: scenario.name, title: scenario.title, proves: [...(scenario.proves ?? [])], checks: scenario.checks.map((check) => check.name) }));
}
