import type { ResolvedConfig, ResolvedServiceConfig } from '../config/index.js';

/** What the architecture page needs from the compose file environment.yaml names, if any. */
export interface ComposeTopology {
  services: Record<string, { image?: string; depends_on?: Record<string, unknown> | string[]; networks?: string[] | Record<string, unknown>; volumes?: string[]; ports?: string[] }>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, '_');
const dependsOn = (value: Record<string, unknown> | string[] | undefined) => (Array.isArray(value) ? value : Object.keys(value ?? {}));

/** What a service talks to, as the diagram draws it: its `uses`, else its `dependsOn` as HTTP calls. */
function edgesOf(service: ResolvedServiceConfig): { to: string; label: string; reverse?: boolean }[] {
  if (service.uses.length === 0) return service.dependsOn.map((to) => ({ to, label: 'HTTP' }));
  return service.uses.map((use) => {
    switch (use.kind) {
      case 'http':
        return { to: use.name, label: 'HTTP' };
      case 'database':
        return { to: 'postgres', label: `SQL: ${use.name}` };
      case 'cache':
        return { to: 'redis', label: `RESP: ${use.name}` };
      case 'produces':
        return { to: `stream ${use.name}`, label: 'produces' };
      case 'consumes':
        return { to: `stream ${use.name}`, label: 'consumes', reverse: true };
      case 'external':
        return use.via === undefined ? { to: `vendor ${use.name}`, label: 'HTTPS' } : { to: use.via, label: `HTTP: stub of ${use.name}` };
    }
  });
}

/**
 * `docs/architecture.md`: a Mermaid flowchart of the environment from the config (every service
 * with its port and version, PostgreSQL and Redis with theirs when the system has them, what each
 * service `uses`) and, when there is one, from the compose file (the network, the volumes, and
 * start order for services that declare no `uses`), then the same facts as a table.
 */
export function renderArchitectureDoc(config: ResolvedConfig, compose: ComposeTopology, versions: Readonly<Record<string, string>>, composePath: string | undefined): string {
  const services = [...config.environment.services.values()];
  const { postgres, redis } = config.environment;
  const networks = Object.keys(compose.networks ?? {});
  const volumes = Object.keys(compose.volumes ?? {});
  const lines = ['flowchart LR', '  client([client])'];
  lines.push(`  subgraph ${id(networks[0] ?? 'network')}["network ${networks[0] ?? '(none)'}"]`);
  for (const service of services) lines.push(`    ${id(service.name)}["${service.name}<br>port ${service.port}<br>version ${versions[service.name] ?? '?'}"]`);
  if (postgres.enabled) lines.push(`    postgres[("PostgreSQL ${postgres.version}<br>database ${postgres.database}")]`);
  if (redis.enabled) lines.push(`    redis[("Redis ${redis.version}")]`);
  const streams = [...new Set(services.flatMap((s) => s.uses.filter((use) => use.kind === 'produces' || use.kind === 'consumes').map((use) => use.name)))].sort();
  for (const stream of streams) lines.push(`    ${id(`stream ${stream}`)}{{"stream ${stream}"}}`);
  const others = Object.keys(compose.services).filter((name) => !config.environment.services.has(name) && name !== 'postgres' && name !== 'redis');
  for (const name of others) lines.push(`    ${id(name)}[["${name} (one-off)"]]`);
  lines.push('  end');
  const vendors = [...new Set(services.flatMap((s) => s.uses.filter((use) => use.kind === 'external' && use.via === undefined).map((use) => use.name)))].sort();
  for (const vendor of vendors) lines.push(`  ${id(`vendor ${vendor}`)}(["${vendor} (external)"])`);
  for (const volume of volumes) lines.push(`  ${id(volume)}[/"volume ${volume}"/]`);
  // Services no other service calls are the entry points clients call.
  const called = new Set(services.flatMap((s) => edgesOf(s).map((edge) => edge.to)));
  for (const service of services) if (!called.has(service.name)) lines.push(`  client -->|HTTP :${service.port}| ${id(service.name)}`);
  const edges = new Set<string>();
  for (const service of services) {
    for (const edge of edgesOf(service)) edges.add(edge.reverse ? `  ${id(edge.to)} -->|${edge.label}| ${id(service.name)}` : `  ${id(service.name)} -->|${edge.label}| ${id(edge.to)}`);
  }
  for (const [name, definition] of Object.entries(compose.services)) {
    for (const dependency of dependsOn(definition.depends_on)) {
      if (config.environment.services.has(dependency) && config.environment.services.has(name)) continue;
      // A service that declares what it uses is drawn from that: its compose depends_on on the stores is start order.
      if ((dependency === 'postgres' || dependency === 'redis') && (config.environment.services.get(name)?.uses.length ?? 0) > 0) continue;
      const label = dependency === 'postgres' ? 'SQL' : dependency === 'redis' ? 'RESP' : 'starts after';
      edges.add(`  ${id(name)} -->|${label}| ${id(dependency)}`);
    }
    for (const volume of definition.volumes ?? []) {
      const [source] = volume.split(':');
      if (source && volumes.includes(source)) edges.add(`  ${id(name)} -.- ${id(source)}`);
    }
  }
  lines.push(...[...edges].sort());
  const backing = (name: string) => dependsOn(compose.services[name]?.depends_on).filter((d) => d === 'postgres' || d === 'redis');
  const calls = (s: ResolvedServiceConfig) => (s.uses.length > 0 ? s.uses.map((use) => `${use.kind} ${use.name}${use.via === undefined ? '' : ` via ${use.via}`}`) : [...s.dependsOn, ...backing(s.name)]);
  const rows = [
    ...services.map((s) => `| ${s.name} | service | ${s.port} | ${versions[s.name] ?? '?'} | ${calls(s).join(', ') || '—'} | ${s.health} |`),
    ...(postgres.enabled ? [`| postgres | database | (free port) | PostgreSQL ${postgres.version} | — | migrations from \`${relative(config, postgres.migrations)}\` |`] : []),
    ...(redis.enabled ? [`| redis | cache | (free port) | Redis ${redis.version} | — | \`${redis.binary}\` |`] : []),
  ];
  return [
    '# Architecture',
    '',
    `Generated by \`accord docs\` from \`${relative(config, config.dir)}\`${composePath === undefined ? '' : ` and \`${composePath}\``}. Do not edit by hand: change the config and run \`accord docs\`.`,
    '',
    '```mermaid',
    ...lines,
    '```',
    '',
    '| component | kind | port | version | calls | health / notes |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    composePath === undefined ? 'No compose file: environment.yaml names none.' : `Compose network: ${networks.map((n) => `\`${n}\``).join(', ') || 'none'}; volumes: ${volumes.map((v) => `\`${v}\``).join(', ') || 'none'}.`,
    '',
  ].join('\n');
}

function relative(config: ResolvedConfig, path: string): string {
  return path.startsWith(`${config.root}/`) ? path.slice(config.root.length + 1) : path;
}
