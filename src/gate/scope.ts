import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ResolvedConfig, ResolvedServiceUse } from '../config/index.js';
import type { Component, Diagram, IntegrationPoint } from '../report/model.js';

/** The report's Scope: the components and integration points the config declares. */
export interface GateScope {
  readonly components: readonly Component[];
  readonly integrationPoints: readonly IntegrationPoint[];
}

/** The integration-point kind each `uses` kind is, in the plan's four kinds. */
const POINT_KIND = { http: 'API endpoint', database: 'database connection', cache: 'database connection', produces: 'message queue', consumes: 'message queue', external: 'external service' } as const;

/**
 * Components and integration points as environment.yaml declares them: each service's `uses`
 * (a database, a cache, a stream it produces or consumes, an HTTP dependency, an external vendor)
 * and, for a service that declares none, its `dependsOn` as API endpoints. Nothing is inferred
 * from what every process is given (each gets DATABASE_URL and REDIS_URL whether it uses them or
 * not). A service that stands in for a vendor (`via`) is drawn as that vendor.
 */
export async function scopeOf(config: ResolvedConfig, options: { provider?: string | undefined; ports?: ReadonlyMap<string, string> } = {}): Promise<GateScope> {
  const version = await buildVersion(config.root);
  const services = [...config.environment.services.values()];
  const stubs = new Map(services.flatMap((service) => service.uses.filter((use) => use.kind === 'external' && use.via !== undefined).map((use) => [use.via as string, use.name] as const)));
  const url = (name: string) => (options.ports?.get(name) ? { url: options.ports.get(name) as string } : {});
  const components = new Map<string, Component>();
  for (const service of services) if (!stubs.has(service.name)) components.set(service.name, { name: service.name, kind: 'service', version, ...url(service.name) });
  const path = config.contracts.path;
  const contract = path !== undefined && path.startsWith(`${config.root}/`) ? path.slice(config.root.length + 1) : path;
  const integrationPoints: IntegrationPoint[] = [];
  for (const service of services) {
    if (stubs.has(service.name)) continue;
    const uses = service.uses.length > 0 ? service.uses : service.dependsOn.map((name) => ({ kind: 'http' as const, name }));
    for (const use of uses) {
      const target = use.kind === 'http' ? (stubs.get(use.name) ?? use.name) : use.name;
      if (!components.has(target)) components.set(target, componentOf(config, use, url));
      const kind = use.kind === 'http' && stubs.has(use.name) ? POINT_KIND.external : POINT_KIND[use.kind];
      const governed = use.kind === 'http' && use.name === options.provider && contract !== undefined ? { contract } : {};
      // A consumer reads from the stream: the point runs from the stream to it.
      integrationPoints.push(use.kind === 'consumes' ? { from: target, to: service.name, kind } : { from: service.name, to: target, kind, ...governed });
    }
  }
  return { components: [...components.values()], integrationPoints };
}

function componentOf(config: ResolvedConfig, use: ResolvedServiceUse, url: (name: string) => { url?: string }): Component {
  const { postgres, redis } = config.environment;
  switch (use.kind) {
    case 'database':
      return { name: use.name, kind: 'database', version: `PostgreSQL ${postgres.version}` };
    case 'cache':
      return { name: use.name, kind: 'cache', version: `Redis ${redis.version}` };
    case 'produces':
    case 'consumes':
      return { name: use.name, kind: 'stream' };
    case 'external':
      return { name: use.name, kind: 'external', ...(use.via === undefined ? {} : { via: use.via, ...url(use.via) }) };
    case 'http':
      return { name: use.name, kind: 'service' };
  }
}

/** Mermaid node shapes by component kind: services boxes, stores cylinders, streams hexagons, vendors stadiums. */
const SHAPES: Readonly<Record<string, readonly [string, string]>> = { service: ['[', ']'], stream: ['{{', '}}'], external: ['([', '])'] };

/** A Mermaid flowchart of the scope: the architecture as this run started it. */
export function architectureDiagram(scope: GateScope): Diagram {
  const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, '_');
  const lines = ['flowchart LR'];
  for (const component of scope.components) {
    const label = `${component.name}${component.version ? ` ${component.version}` : ''}`;
    const shape = SHAPES[component.kind] ?? ['[(', ')]'];
    lines.push(`  ${id(component.name)}${shape[0]}"${label}${component.via ? `, stub ${component.via}` : ''}"${shape[1]}`);
  }
  for (const point of scope.integrationPoints) lines.push(`  ${id(point.from)} -->|${point.kind}${point.contract ? `: ${point.contract}` : ''}| ${id(point.to)}`);
  return { title: 'Architecture', mermaid: `${lines.join('\n')}\n` };
}

/** `<package version>+<short commit>` (with `-dirty` for uncommitted changes), or the package version outside git. */
async function buildVersion(root: string): Promise<string> {
  const pkg = await readFile(join(root, 'package.json'), 'utf8').then((text) => (JSON.parse(text) as { version?: string }).version ?? '0.0.0', () => '0.0.0');
  const commit = await execa('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, reject: false });
  if (commit.exitCode !== 0) return pkg;
  const dirty = await execa('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, reject: false });
  return `${pkg}+${String(commit.stdout).trim()}${String(dirty.stdout).trim() ? '-dirty' : ''}`;
}
