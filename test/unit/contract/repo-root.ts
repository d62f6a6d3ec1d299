import path from 'node:path';

/** The repository root (this file is test/unit/contract/repo-root.ts). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
