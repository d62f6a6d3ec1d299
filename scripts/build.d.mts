// Types for scripts/build.mjs (plain JavaScript so bin/accord.js can run it before anything is built).

/** The repository root. */
export declare const ROOT: string;
/** Where the JavaScript goes, mirroring the source tree. */
export declare const DIST: string;
/** The stamp that records when dist/ was built and from which files. */
export declare const STAMP: string;

/** Every TypeScript source and copied asset, relative to root, sorted. */
export declare function listSources(root?: string): string[];

/** What dist/ lacks: no reason when fresh; `changed` when only edits happened. */
export declare function staleness(root?: string): { reason: string | undefined; changed?: string[] };

/** Builds dist/ (all sources, or just `only`); returns what it did. */
export declare function build(root?: string, only?: readonly string[]): Promise<{ files: number; outputs: number; ms: number }>;

/** Rebuilds dist/ when missing or stale, once per process and root; resolves to why it rebuilt. */
export declare function ensureBuilt(root?: string): Promise<string | undefined>;
