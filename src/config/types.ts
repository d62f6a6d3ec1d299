/**
 * The shape of `config/integration/*.yaml`: each file is one top-level section
 * (`environment.yaml` → `environment`, `contracts.yaml` → `contracts`, …).
 * `User*` types are what a file may say (everything optional); `Resolved*` types are what
 * Accord works with (everything filled from {@link DEFAULT_CONFIG}, paths absolute).
 */

/** One service process as written in `environment.yaml`. */
export interface UserServiceConfig {
  /** Command line, e.g. `node --import tsx src/main.ts` (split like a shell would, without expansion). */
  command?: string;
  /** The service's name in pacts and the broker, any name Pact accepts (`ProductService`). @default the service's key */
  pacticipant?: string;
  /** Working directory, relative to the repository root. @default . */
  cwd?: string;
  /** TCP port on 127.0.0.1; `0` picks a free port. @default 0 */
  port?: number;
  /** Path polled until it answers 2xx. @default /health */
  health?: string;
  /** Extra environment variables for the process. */
  env?: Record<string, string | number | boolean>;
  /** Services that must be healthy before this one starts (and are started with it). @default [] */
  dependsOn?: string[];
  /** Names from `.env.integration-test` that must be set before this service may start. @default [] */
  secrets?: string[];
  /** How long the service has to become healthy (generous: on a busy shared machine Node takes long to start). @default 60000 */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. @default 3000 */
  stopGraceMs?: number;
  /** What the service talks to (the report's scope and architecture come from this, not from what every process is given). @default [] */
  uses?: UserServiceUse[];
}

/**
 * One thing a service uses, as `{<kind>: <name>}`: `{database: main}`, `{cache: redis}`,
 * `{produces: user-events}`, `{consumes: user-events}`, `{http: accounts}` (a service of
 * environment.yaml) or `{external: stripe, via: stripe-stub}` (a vendor, maybe stubbed by a service).
 */
export type UserServiceUse =
  | { database: string }
  | { cache: string }
  | { produces: string }
  | { consumes: string }
  | { http: string }
  | { external: string; via?: string };

/** The kinds of {@link UserServiceUse}. */
export type ServiceUseKind = 'database' | 'cache' | 'produces' | 'consumes' | 'http' | 'external';

/** One resolved `uses` entry. */
export interface ResolvedServiceUse {
  readonly kind: ServiceUseKind;
  /** The database, cache, stream, service or vendor. */
  readonly name: string;
  /** For `external`: the service of environment.yaml that stands in for the vendor. */
  readonly via?: string;
}

/** `environment.yaml`. */
export interface UserEnvironmentConfig {
  /** Services in start order (dependencies first). */
  services?: Record<string, UserServiceConfig>;
  /** The system's PostgreSQL; `false`: the system has no database (none is started, no migrations are needed). */
  postgres?:
    | false
    | {
        /** Major version; only the embedded 14 is supported. @default 14 */
        version?: number;
        /** Prefix of the database Accord creates and migrates (`<database>_<random>`). @default accord */
        database?: string;
        /** The migrations folder (node-pg-migrate files, or one folder per migration with its SQL), or how the team migrates. @default migrations */
        migrations?: string | UserMigrationsConfig;
        /** Extra `-c name=value` server settings for the embedded server. @default {} */
        settings?: Record<string, string | number | boolean>;
      };
  /** The system's Redis; `false`: the system has no cache (none is started). */
  redis?:
    | false
    | {
        /** Major version the compose file pins (`redis:<version>`). @default 7 */
        version?: number;
        /** The redis-server binary, looked up on PATH. @default redis-server */
        binary?: string;
      };
  logs?: {
    /** Where service logs go, one `<service>.log` each. @default reports/logs */
    dir?: string;
  };
  /** Test-only settings and secrets in dotenv format. @default .env.integration-test */
  envFile?: string;
  /** A Docker Compose file describing the same topology, for teams that run Docker. None by default. */
  compose?: UserComposeConfig;
  /** SQL `accord up` runs on the fresh database once migrated (demo data for a first request; `--seed`/`--no-seed` override it). None by default. */
  seed?: string;
}

/** `environment.yaml`'s `postgres.migrations` as a map: the folder and, optionally, the team's own migration command. */
export interface UserMigrationsConfig {
  /** The migrations folder (read by schema diff; applied by Accord when no command is given). @default migrations */
  dir?: string;
  /** The team's own migration command (e.g. `npx prisma migrate deploy`), run in the repository root with DATABASE_URL set. */
  command?: string;
  /** How long the command may run. @default 120000 */
  timeoutMs?: number;
  /** The table the team's tool records applied migrations in, left out of schema comparisons (e.g. `_prisma_migrations`). */
  table?: string;
}

/** `environment.yaml`'s `compose:` block: the compose file `accord docs` reads and the names it must declare. */
export interface UserComposeConfig {
  /** The compose file, relative to the repository root. */
  file: string;
  /** The network every component must join (scripts outside Accord name it). */
  network?: string;
  /** The named volume `postgres` and `redis` each mount. */
  volumes?: { postgres?: string; redis?: string };
}

/** `contracts.yaml`. */
export interface UserContractsConfig {
  /** The OpenAPI contract the pacts are checked against; no default (it is the system's own), so the commands that check a contract say when it is missing. */
  path?: string;
  /** How a change's required version bump is judged (`none`: no breaking change at all). @default semver */
  policy?: ContractPolicy;
  /** The released contract: `accord gate` diffs the working contract against it, `accord docs` lists the changes since it; `git:REF[:PATH]` or a file. @default git:HEAD */
  baseline?: string;
  /** Where the contract's `$ref`s may lead beyond the project: `allowHosts` names the hosts whose http(s) URLs they may fetch (none by default). */
  refs?: { allowHosts?: string[] };
  /** Whose pacts judge a change (`contract diff --consumers`, the gate's contract-diff): a pacts directory, `broker`, `broker:ENVIRONMENT` or `broker:branch=NAME`. Naming it makes `consumers` the default policy. */
  consumers?: string;
}

/** Contract versioning policies `contracts.policy` accepts (`consumers`: no breaking change a consumer's pact touches). */
export type ContractPolicy = 'semver' | 'none' | 'consumers';

/** `pacts.yaml`. */
export interface UserPactsConfig {
  /** Where consumer tests write pact files. @default pacts */
  dir?: string;
  /** How `accord verify` (and the gate's verify step) verifies the pacts; its flags override each key. */
  verify?: UserVerifyConfig;
}

/** `pacts.yaml`'s `verify:` block: the provider side of the pacts. Nothing has a default: every value names a part of the system under test. */
export interface UserVerifyConfig {
  /** The provider: its service name in `environment.yaml` or that service's pacticipant name. */
  provider?: string;
  /** Module whose default export is the provider's `defineProviderStates(...)`. */
  states?: string;
  /** Module whose default export is `defineMessageProviders(...)`, for the message pacts. */
  messages?: string;
  /** AsyncAPI document every built message is checked against. */
  asyncApi?: string;
  /** The env-file secret sent as the bearer token. @default the provider service's only configured secret, if it has exactly one */
  tokenSecret?: string;
}

/** `pacts.yaml`'s `verify:` block, paths absolute; what the config leaves out stays undefined. */
export interface ResolvedVerifyConfig {
  readonly provider: string | undefined;
  readonly states: string | undefined;
  readonly messages: string | undefined;
  readonly asyncApi: string | undefined;
  readonly tokenSecret: string | undefined;
}

/** `schema.yaml`. */
export interface UserSchemaConfig {
  /** The expected schema after all migrations; no default (it is the system's own), so the commands that compare with it say when it is missing. */
  expected?: string;
  /** The migrations that produce it. @default migrations */
  migrations?: string;
}

/** Everything a config directory may say, every field optional. */
export interface UserConfig {
  environment?: UserEnvironmentConfig;
  contracts?: UserContractsConfig;
  pacts?: UserPactsConfig;
  schema?: UserSchemaConfig;
}

/** A service with every field filled and paths absolute. */
export interface ResolvedServiceConfig {
  readonly name: string;
  /** Its name in pacts and the broker (the key when the config gives none). */
  readonly pacticipant?: string;
  /** The command split into program and arguments. */
  readonly command: readonly string[];
  readonly cwd: string;
  /** `0` means a free port is picked at start. */
  readonly port: number;
  readonly health: string;
  readonly env: Readonly<Record<string, string>>;
  readonly dependsOn: readonly string[];
  readonly secrets: readonly string[];
  readonly startTimeoutMs: number;
  readonly stopGraceMs: number;
  /** What it talks to, as environment.yaml declares it ([] when it declares nothing). */
  readonly uses: readonly ResolvedServiceUse[];
}

/** The `environment` section, filled. */
export interface ResolvedEnvironmentConfig {
  /** In start order: every service comes after the ones it depends on. */
  readonly services: ReadonlyMap<string, ResolvedServiceConfig>;
  readonly postgres: {
    /** False when environment.yaml says `postgres: false`: nothing is started or migrated, no DATABASE_URL is given. */
    readonly enabled: boolean;
    readonly version: number;
    readonly database: string;
    /** The migrations folder, absolute. */
    readonly migrations: string;
    /** The team's own migration command; undefined: Accord applies {@link migrations} itself. */
    readonly migrationCommand: ResolvedMigrationCommand | undefined;
    readonly settings: Readonly<Record<string, string>>;
    /** `DATABASE_URL` from the environment: an external server to use instead of the embedded one. */
    readonly url: string | undefined;
  };
  readonly redis: {
    /** False when environment.yaml says `redis: false`: no Redis is started, no REDIS_URL is given. */
    readonly enabled: boolean;
    readonly version: number;
    readonly binary: string;
    /** `REDIS_URL` from the environment: an external Redis to use instead of starting one. */
    readonly url: string | undefined;
  };
  readonly logs: { readonly dir: string };
  readonly envFile: string;
  /** Undefined when environment.yaml names no compose file. */
  readonly compose: ResolvedComposeConfig | undefined;
  /** The seed file `accord up` loads, absolute; undefined when environment.yaml names none. */
  readonly seed: string | undefined;
}

/** The team's migration command, split like a service command. */
export interface ResolvedMigrationCommand {
  /** As written, for messages. */
  readonly line: string;
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  /** The tool's own bookkeeping table, if named. */
  readonly table: string | undefined;
}

/** `environment.yaml`'s `compose:` block, the file's path absolute. */
export interface ResolvedComposeConfig {
  readonly file: string;
  readonly network: string | undefined;
  readonly volumes: Readonly<{ postgres?: string; redis?: string }>;
}

/** A config section that another capability owns and validates (e.g. `load.yaml`). */
export interface ForeignSection {
  /** The file it came from, absolute. */
  readonly file: string;
}

/** The whole configuration, every field filled, paths absolute. */
export interface ResolvedConfig {
  /** The repository root every relative path is resolved against. */
  readonly root: string;
  /** The config directory that was read. */
  readonly dir: string;
  readonly environment: ResolvedEnvironmentConfig;
  /** `path` is undefined when contracts.yaml names none: a command that needs it calls `requireSetting`. */
  readonly contracts: { readonly path: string | undefined; readonly policy: ContractPolicy; readonly baseline: string; readonly consumers?: string; readonly refs: { readonly allowHosts: readonly string[] } };
  readonly pacts: { readonly dir: string; readonly verify: ResolvedVerifyConfig };
  /** `expected` is undefined when schema.yaml names none: a command that needs it calls `requireSetting`. */
  readonly schema: { readonly expected: string | undefined; readonly migrations: string };
  /** Values from the env file (test-only secrets). Redacted in every output: see `redact()`. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Files of the config dir that no section here owns (`load.yaml`, …), by section name. */
  readonly sections: ReadonlyMap<string, ForeignSection>;
}
