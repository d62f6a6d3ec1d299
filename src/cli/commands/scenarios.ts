import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, redact } from '../../config/index.js';
import { AccordError, ErrorCodes, ExitCodes } from '../../errors/index.js';
import { describeCatalog, loadScenariosConfig, renderCatalogJson, renderCatalogText, renderJson, renderJunit, renderText, requireConfiguredCatalog, runScenariosLive, selectScenarios } from '../../scenarios/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';
import { checkOutputPath } from '../output-path.js';
import { collect } from '../collect.js';
import { progressLine } from '../progress-line.js';

interface ScenariosOptions {
  config: string;
  format: 'text' | 'json' | 'junit';
  only: string[];
  diagrams?: boolean;
  out?: string;
  list?: boolean;
  freePorts?: boolean;
}

/** `accord scenarios`: run the integration scenarios with fault injection against a freshly started environment. */
export function register(program: Command): void {
  program
    .command('scenarios')
    .description("start the environment and run the integration scenarios of the team's catalog (scenarios.yaml catalog:); traces go to reports/traces/")
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'junit']))
    .option('--only <names>', 'run only these scenarios (comma-separated, repeatable)', collect, [])
    .option('--diagrams', 'also write a Mermaid sequence diagram per scenario to docs/sequences/<scenario>.md, drawn from its recording')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--free-ports', 'start the services on free ports, not their configured ones (for services that listen where PORT says)')
    .option('--list', 'print the catalog (each scenario\'s name, title and what it proves) and start nothing')
    .action(defineAction(async (options: ScenariosOptions) => scenarios(options)));
}


async function scenarios(options: ScenariosOptions): Promise<number> {
  if (options.out) await checkOutputPath('--out', options.out, 'file');
  const config = await loadConfig(options.config);
  // The catalog is the team's module: loaded (and the names checked) before anything starts.
  const settings = await loadScenariosConfig(config);
  const catalog = await requireConfiguredCatalog(config, settings);
  if (options.list) return list(relative(config.root, catalog.file) || catalog.file, catalog.scenarios, options);
  selectScenarios(catalog.scenarios, options.only);
  const progress = progressLine(redact);
  const result = await runScenariosLive(config, {
    catalog: catalog.scenarios,
    only: options.only,
    ...(options.freePorts ? { freePorts: true } : {}),
    tracesDir: resolve(config.root, 'reports/traces'),
    ...(options.diagrams ? { diagramsDir: resolve(config.root, 'docs/sequences') } : {}),
    onEnvironment: (event) => progress(`${event.name.padEnd(10)} ${event.detail} (${event.durationMs} ms)`),
    onProgress: (event) => {
      if (event.type === 'start') {
        progress(`scenario ${event.name} …`);
        return;
      }
      const { result: done } = event;
      const passed = done.checks.filter((c) => c.ok).length;
      progress(`scenario ${done.name} ${done.ok ? 'ok' : 'FAILED'} (${passed}/${done.checks.length} checks, ${(done.durationMs / 1000).toFixed(2)} s)${done.diagramFile ? ` → ${relative(config.root, done.diagramFile)}` : ''}`);
    },
  });
  const rendered = options.format === 'json' ? renderJson(result) : options.format === 'junit' ? renderJunit(result) : renderText(result);
  if (options.out) {
    await mkdir(dirname(resolve(options.out)), { recursive: true });
    await writeFile(resolve(options.out), redact(rendered));
    progress(`report written to ${options.out}`);
  } else {
    process.stdout.write(redact(rendered));
  }
  return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
}

async function list(file: string, catalog: Parameters<typeof describeCatalog>[0], options: ScenariosOptions): Promise<number> {
  if (options.format === 'junit') throw new AccordError(ErrorCodes.USAGE, '--list prints the catalog as text or json, not junit');
  const entries = describeCatalog(selectScenarios(catalog, options.only));
  const rendered = options.format === 'json' ? renderCatalogJson(file, entries) : renderCatalogText(file, entries);
  if (options.out) {
    await mkdir(dirname(resolve(options.out)), { recursive: true });
    await writeFile(resolve(options.out), rendered);
  } else {
    process.stdout.write(rendered);
  }
  return ExitCodes.OK;
}
