// Types for scripts/build.mjs (plain JavaScript so bin/accord.js can run it before anything is built).

/** The repository root. */
export declare const ROOT: string;
/** Where Accord's JavaScript goes, mirroring src/. */
export declare const DIST: string;

/** One thing the script builds: its sources, the folder their paths start from, where the JavaScript goes. */
export interface BuildTarget {
  readonly name: string;
  readonly sources: readonly string[];
  readonly outbase: string;
  readonly outdir: string;
}
/** Accord (src/ -> dist/) and the example system (examples/orders/services -> examples/orders/dist). */
export declare const TARGETS: readonly BuildTarget[];

/** Every TypeScript source and copied asset, relative to root, sorted. */
export declare function listSources(root?: string, target?: BuildTarget): string[];

/** What dist/ lacks: no reason when fresh; `changed` when only edits happened. */
export declare function staleness(root?: string, target?: BuildTarget): { reason: string | undefined; changed?: string[] };

/** Builds dist/ (all sources, or just `only`); returns what it did. */
export declare function build(root?: string, only?: readonly string[], target?: BuildTarget): Promise<{ files: number; outputs: number; ms: number }>;

/** Rebuilds every missing or stale target, once per process and root; resolves to why it rebuilt. */
export declare function ensureBuilt(root?: string): Promise<string | undefined>;

/** Writes the package's declarations into dist/ (tsc -p tsconfig.build.json) and removes stale ones. */
export declare function buildTypes(root?: string): { declarations: number; ms: number };

/** Links node_modules/accord to the checkout, so the example's `import 'accord'` resolves as in a team's project. */
export declare function linkSelf(root?: string): void;

/** Writes ajv's standalone validators for Accord's YAML schemas into dist/; returns how many. */
export declare function generateValidators(root?: string): Promise<number>;

/** Writes ajv's standalone validators for the OpenAPI 3.0 and 3.1 meta-schemas into dist/; returns how many. */
export declare function generateMetaValidators(root?: string): Promise<number>;
