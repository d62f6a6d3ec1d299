import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { loadConfig, redact } from '../../config/index.js';
import { urlVariable } from '../../env/index.js';
import { AccordError, ErrorCodes, ExitCodes } from '../../errors/index.js';
import {
  describeProfile,
  exportK6Script,
  loadProfile,
  progressPrinter,
  renderLoadJson,
  renderLoadJunit,
  renderLoadMarkdown,
  renderLoadText,
  runLoadLive,
  writeLoadReports,
} from '../../load/index.js';
import type { ResourceTarget } from '../../load/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';
import { checkOutputPath } from '../output-path.js';
import { collect } from '../collect.js';
import { progressLine } from '../progress-line.js';

interface LoadOptions {
  config: string;
  format: 'text' | 'json' | 'markdown' | 'junit';
  profile: string;
  target?: string;
  baseline?: string;
  updateBaseline?: boolean;
  reportDir: string;
  export?: 'k6';
  out?: string;
  pid: string[];
  dryRun?: boolean;
  freePorts?: boolean;
}

/** `accord load`: the scripted load pass (ramp-up / sustain / ramp-down, thresholds, resources, baseline). */
export function register(program: Command): void {
  program
    .command('load')
    .description("run a load profile against the profile's service (starting the environment) or --target; gate on latency, rate, errors, resources and the baseline")
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'markdown', 'junit']))
    .option(
      '--profile <name|file>',
      "a profile named in load.yaml or a profile YAML file. Either way a key the profile does not set comes from load.yaml's `defaults` (thresholds, limits and baseline key by key), then from Accord's built-in defaults; --dry-run shows each value and where it came from",
      'smoke',
    )
    .option('--dry-run', 'print the resolved profile, every value with where it came from, and send nothing')
    .option('--target <url>', 'load an already running service on this machine instead of starting the environment')
    .option('--baseline <file>', 'baseline to compare with (default docs/performance-baseline.json when accord starts the environment)')
    .option('--update-baseline', "add this run to the profile's baseline entry (the last five runs are kept; a run is compared with the slowest)")
    .option('--free-ports', 'start the services on free ports, not their configured ones (for services that listen where PORT says)')
    .option('--report-dir <dir>', 'where the JSON, Markdown, HTML and JUnit reports go', 'reports/load')
    .addOption(new Option('--export <tool>', 'write an equivalent script for another tool instead of running').choices(['k6']))
    .option('--out <file>', 'with --export: the script file (default <report-dir>/load-<profile>.k6.js)')
    .option('--pid <name=pid>', 'with --target: also sample and gate this process tree (repeatable)', collect, [])
    .action(defineAction(async (options: LoadOptions) => load(options)));
}


async function load(options: LoadOptions): Promise<number> {
  if (options.dryRun) return dryRun(options);
  if (options.export === 'k6') return exportK6(options);
  // Checked before the pass starts: a full pass takes minutes, and its reports are the point.
  await checkOutputPath('--report-dir', options.reportDir, 'directory');
  if (options.updateBaseline && options.baseline) await checkOutputPath('--baseline', options.baseline, 'file');
  const resources = parsePids(options.pid, options.target);
  const printer = progressPrinter(process.stderr);
  const result = await runLoadLive({
    profile: options.profile,
    configDir: options.config,
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.baseline !== undefined ? { baselineFile: options.baseline } : {}),
    ...(options.updateBaseline ? { updateBaseline: true } : {}),
    ...(options.freePorts ? { freePorts: true } : {}),
    resources,
    onProgress: printer.onProgress,
    onEnvironment: (event) => progressLine(redact)(`${event.name.padEnd(10)} ${event.detail} (${event.durationMs} ms)`),
  });
  printer.done();
  const files = await writeLoadReports(result, resolve(options.reportDir));
  const shown = Object.values(files).map((file) => relative(process.cwd(), file) || file);
  const output =
    options.format === 'json'
      ? renderLoadJson(result)
      : options.format === 'markdown'
        ? renderLoadMarkdown(result)
        : options.format === 'junit'
          ? renderLoadJunit(result)
          : renderLoadText(result, shown);
  process.stdout.write(redact(output));
  return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
}

async function dryRun(options: LoadOptions): Promise<number> {
  const profile = await loadProfile(options.profile, { configDir: options.config });
  const values = describeProfile(profile);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ profile: profile.name, source: relative(process.cwd(), profile.source) || profile.source, values }, null, 2)}\n`);
    return ExitCodes.OK;
  }
  const keyWidth = Math.max(...values.map((entry) => entry.key.length));
  const valueWidth = Math.min(60, Math.max(...values.map((entry) => entry.value.length)));
  const lines = values.map((entry) => `  ${entry.key.padEnd(keyWidth)}  ${entry.value.padEnd(valueWidth)}  ${entry.from}`);
  process.stdout.write(`accord load --dry-run: profile ${profile.name}, resolved (nothing is sent)\n${lines.join('\n')}\n`);
  return ExitCodes.OK;
}

async function exportK6(options: LoadOptions): Promise<number> {
  if (options.out) await checkOutputPath('--out', options.out, 'file');
  else await checkOutputPath('--report-dir', options.reportDir, 'directory');
  const profile = await loadProfile(options.profile, { configDir: options.config });
  const file = resolve(options.out ?? join(options.reportDir, `load-${profile.name}.k6.js`));
  await mkdir(dirname(file), { recursive: true });
  const shown = (path: string) => relative(process.cwd(), path) || path;
  // k6 cannot run SQL: the rows the mix refers to go into a file beside the script, which says how to load it.
  const seedFile = profile.seedSql === undefined ? undefined : file.replace(/(\.k6)?\.[cm]?js$/, '') + '.seed.sql';
  const baseUrl = options.target ?? (await fixedServiceUrl(options.config, profile.service));
  await writeFile(file, exportK6Script(profile, baseUrl, { ...(profile.service ? { urlVariable: urlVariable(profile.service) } : {}), ...(seedFile ? { seedFile: basename(seedFile) } : {}) }));
  if (seedFile && profile.seedSql !== undefined) await writeFile(seedFile, `-- Rows load profile ${profile.name} refers to (${profile.source}); accord load runs this before the pass.\n${profile.seedSql.replace(/\n?$/, '\n')}`);
  process.stdout.write(`accord load: wrote k6 script for profile ${profile.name} to ${shown(file)}${seedFile ? ` and its seed rows to ${shown(seedFile)}` : ''}\n`);
  return ExitCodes.OK;
}

/** The profile's service at its fixed port in environment.yaml, or undefined (no service, port 0, no readable config). */
async function fixedServiceUrl(configDir: string, service: string | undefined): Promise<string | undefined> {
  if (service === undefined) return undefined;
  const config = await loadConfig(configDir).catch(() => undefined);
  const port = config?.environment.services.get(service)?.port;
  return port ? `http://127.0.0.1:${port}` : undefined;
}

function parsePids(values: readonly string[], target: string | undefined): ResourceTarget[] {
  if (values.length > 0 && target === undefined) {
    throw new AccordError(ErrorCodes.USAGE, '--pid: only with --target (without it, accord samples the environment it starts)');
  }
  return values.map((value) => {
    const match = /^([\w.-]+)=(\d+)$/.exec(value);
    if (!match) throw new AccordError(ErrorCodes.USAGE, `--pid: expected NAME=PID like api=1234, got "${value}"`);
    return { name: match[1] as string, pid: Number(match[2]), role: 'service' };
  });
}
