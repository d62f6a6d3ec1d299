import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertDocumentSize } from '../input/index.js';

/** The text of a contract and where it came from. */
export interface ContractSource {
  /** How messages name it: a path relative to the working directory, or `git:REF:PATH`. */
  label: string;
  /** Absolute path on disk, when the text is a file there (external `$ref`s resolve against it). */
  file: string | undefined;
  text: string;
}

/** Options for {@link readContractSource}. */
export interface ReadSourceOptions {
  /** Directory relative paths start from. @default process.cwd() */
  cwd?: string;
  /** The path used by `git:REF` without `:PATH` (the config's `contracts.path`); without it, `git:REF` must name its path. */
  defaultPath?: string;
  /** Hosts whose http(s) URLs a `$ref` may name (`--allow-ref-host`); none by default: remote references are refused. */
  allowRefHosts?: readonly string[];
}

const GIT_PREFIX = 'git:';

/** True when `spec` names a file at a git revision (`git:REF[:PATH]`). */
export function isGitSpec(spec: string): boolean {
  return spec.startsWith(GIT_PREFIX);
}

/** Reads a contract from a file path or from `git:REF[:PATH]` (the file as it was at REF). */
export async function readContractSource(spec: string, options: ReadSourceOptions = {}): Promise<ContractSource> {
  const cwd = options.cwd ?? process.cwd();
  return isGitSpec(spec) ? readGitSource(spec, cwd, options.defaultPath) : readFileSource(spec, cwd);
}

async function readFileSource(spec: string, cwd: string): Promise<ContractSource> {
  const file = path.resolve(cwd, spec);
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${spec}: no such file (expected an OpenAPI document in YAML or JSON)`);
  }
  if (!info.isFile()) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${spec}: is a directory, expected an OpenAPI document file`);
  }
  assertDocumentSize(spec, info.size);
  return { label: spec, file, text: await readFile(file, 'utf8') };
}

async function readGitSource(spec: string, cwd: string, defaultPath: string | undefined): Promise<ContractSource> {
  const rest = spec.slice(GIT_PREFIX.length);
  const colon = rest.indexOf(':');
  const ref = colon === -1 ? rest : rest.slice(0, colon);
  const filePath = colon === -1 || rest.slice(colon + 1) === '' ? defaultPath : rest.slice(colon + 1);
  if (ref === '') {
    throw new AccordError(ErrorCodes.GIT_REF_INVALID, `${spec}: expected git:REF[:PATH] with a revision such as HEAD~1 or main`);
  }
  const top = await execa('git', ['rev-parse', '--show-toplevel'], { cwd, reject: false });
  if (top.exitCode !== 0) {
    throw new AccordError(ErrorCodes.GIT_REF_INVALID, `${spec}: ${cwd} is not inside a git repository`);
  }
  const verified = await execa('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, reject: false });
  if (verified.exitCode !== 0) {
    throw new AccordError(ErrorCodes.GIT_REF_INVALID, `${spec}: unknown git revision \`${ref}\``);
  }
  if (filePath === undefined) {
    throw new AccordError(ErrorCodes.USAGE, `${spec}: names no path, the other side is not a file and no contracts.path is configured: write git:${ref}:PATH`);
  }
  // git show wants the path relative to the repository root.
  const relative = path.relative(top.stdout.trim(), path.resolve(cwd, filePath)).split(path.sep).join('/');
  const label = `git:${ref}:${filePath}`;
  const shown = await execa('git', ['show', `${ref}:${relative}`], { cwd, reject: false, stripFinalNewline: false });
  if (shown.exitCode !== 0) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${label}: ${filePath} does not exist at git revision \`${ref}\``);
  }
  return { label, file: undefined, text: shown.stdout };
}
