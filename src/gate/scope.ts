import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ResolvedConfig } from '../config/index.js';
import type { Component, Diagram, IntegrationPoint } from '../report/model.js';

/** The report's Scope: the components and integration points the config describes. */
export interface GateScope {
  readonly components: readonly Component[];
  readonly integrationPoints: readonly IntegrationPoint[];
}

/**
 * Components (every configured service at the build's version, PostgreSQL, Redis) and the
 * integration points between them: each `dependsOn` is an API endpoint (governed by the contract
 * when its provider is the one verified), and every service talks to the database and the cache.
 */
export async function scopeOf(config: ResolvedConfig, options: { provider?: string | undefined; ports?: ReadonlyMap<string, string> } = {}): Promise<GateScope> {
  const version = await buildVersion(config.root);
  const components: Component[] = [
    ...[...config.environment.services.values()].map((service) => ({ name: service.name, kind: 'service', version, ...(options.ports?.get(service.name) ? { url: options.ports.get(service.name) as string } : {}) })),
    { name: 'postgres', kind: 'database', version: String(config.environment.postgres.version) },
    { name: 'redis', kind: 'cache', version: String(config.environment.redis.version) },
  ];
  const path = config.contracts.path;
  const contract = path !== undefined && path.startsWith(`${config.root}/`) ? path.slice(config.root.length + 1) : path;
  const integrationPoints: IntegrationPoint[] = [];
  for (const service of config.environment.services.values()) {
    for (const dependency of service.dependsOn) {
      integrationPoints.push({ from: service.name, to: dependency, kind: 'API endpoint', ...(dependency === options.provider && contract !== undefined ? { contract } : {}) });
    }
  }
  for (const service of config.environment.services.values()) {
    integrationPoints.push({ from: service.name, to: 'postgres', kind: 'database connection' }, { from: service.name, to: 'redis', kind: 'cache' });
  }
  return { components, integrationPoints };
}

/** A Mermaid flowchart of the scope: the architecture as this run started it. */
export function architectureDiagram(scope: GateScope): Diagram {
  const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, '_');
  const lines = ['flowchart LR'];
  for (const component of scope.components) {
    const label = `${component.name}${component.version ? ` ${component.version}` : ''}`;
    lines.push(component.kind === 'service' ? `  ${id(component.name)}["${label}"]` : `  ${id(component.name)}[("${label}")]`);
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
