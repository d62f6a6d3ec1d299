import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { MAX_DOCUMENT_BYTES, isInside, projectBoundaries, realOrResolved } from '../input/index.js';

/**
 * Where a contract's external `$ref`s may lead. A contract from a pull request is untrusted: by
 * default a reference resolves only to a regular file under the contract's own folder, the
 * project root (the working directory) or the git repository holding it, symbolic links followed;
 * an `http(s)` reference only to a host named in `allowHosts` (`--allow-ref-host`, contracts.yaml
 * `refs.allowHosts`). What a refused reference points at is never read.
 */
export interface RefPolicy {
  /** Folders (real paths) whose files a reference may name. */
  readonly roots: readonly string[];
  /** Host names (lower case) whose http(s) URLs a reference may name. */
  readonly allowHosts: readonly string[];
}

/** The policy for a contract file: its folder and `cwd` (the project root), plus `allowHosts`. */
export function refPolicyFor(contractFile: string, cwd: string, allowHosts: readonly string[] = []): RefPolicy {
  const roots = projectBoundaries(cwd, [path.dirname(realOrResolved(contractFile))]);
  return { roots, allowHosts: allowHosts.map((host) => host.trim().toLowerCase()).filter((host) => host !== '') };
}

/** `ref` without its `#fragment`, shown safely for a message. */
function shownRef(ref: string): string {
  return printable(ref, 120);
}

/**
 * Why `ref` (written in `baseFile`) may not be followed, or undefined when it may. Only the
 * reference itself is named in the reason, never what it points at.
 */
export function refusedRef(ref: string, baseFile: string, policy: RefPolicy): string | undefined {
  const target = ref.split('#')[0] ?? '';
  if (target === '') return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !/^[a-z]:[\\/]/i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return `\`${shownRef(ref)}\` is not a valid URL`;
    }
    if (url.protocol === 'file:') return refusedFile(fileURLToPath(url), ref, policy);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `\`${shownRef(ref)}\`: only file and http(s) references are followed`;
    const host = url.hostname.toLowerCase();
    if (policy.allowHosts.includes(host)) return undefined;
    return `\`${shownRef(ref)}\` is a URL: remote references are fetched only from hosts allowed with --allow-ref-host or contracts.yaml refs.allowHosts`;
  }
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // Not percent-encoded after all: the literal path.
  }
  return refusedFile(path.resolve(path.dirname(baseFile), decoded), ref, policy);
}

function refusedFile(file: string, ref: string, policy: RefPolicy): string | undefined {
  // The real path decides: a link inside the project to a file outside it is outside.
  const real = realOrResolved(file);
  if (!policy.roots.some((root) => isInside(real, root))) {
    return `\`${shownRef(ref)}\` leads outside the contract's folder and the project; references may only name files inside them`;
  }
  let info;
  try {
    info = statSync(real);
  } catch {
    return undefined; // a missing file: the parser says so
  }
  if (!info.isFile()) return `\`${shownRef(ref)}\` is not a regular file`;
  if (info.size > MAX_DOCUMENT_BYTES) return `\`${shownRef(ref)}\` is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`;
  return undefined;
}

/**
 * json-schema-ref-parser (swagger-parser) options that apply `policy` to every reference the
 * parser follows, nested ones included. A refusal is kept in `refused` (the parser wraps errors),
 * for the caller to throw as its own message.
 */
export function refParserOptions(policy: RefPolicy): { options: Record<string, unknown>; refused: () => string | undefined } {
  let refused: string | undefined;
  const refuse = (reason: string): never => {
    refused ??= reason;
    throw new Error(reason);
  };
  const options = {
    resolve: {
      file: {
        order: 100,
        canRead: (file: { url: string }) => !/^https?:/i.test(file.url),
        read: async (file: { url: string }) => {
          const local = file.url.startsWith('file:') ? fileURLToPath(file.url) : decodeURI(file.url);
          const reason = refusedFile(local, local, policy);
          if (reason !== undefined) refuse(reason);
          return readFile(local);
        },
      },
      http: {
        order: 200,
        timeout: 10_000,
        redirects: 0,
        canRead: (file: { url: string }) => {
          if (!/^https?:/i.test(file.url)) return false;
          const reason = refusedRef(file.url, '/', policy);
          if (reason !== undefined) refuse(reason);
          return true;
        },
      },
    },
  };
  return { options, refused: () => refused };
}

/** Throws REF_UNRESOLVED naming `where` when the parser stopped at a reference the policy refused. */
export function throwIfRefused(refused: string | undefined, where: string, cause?: unknown): void {
  if (refused !== undefined) throw new AccordError(ErrorCodes.REF_UNRESOLVED, `${where}: ${refused}`, cause === undefined ? {} : { cause });
}
