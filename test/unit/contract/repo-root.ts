import path from 'node:path';

/** The repository root (this file is test/unit/contract/repo-root.ts). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/** The example system's OpenAPI contract (its config's `contracts.path`), relative to the root. */
export const EXAMPLE_CONTRACT = 'examples/orders/contracts/service-a-to-b.yaml';
