/** One statement of a SQL file, with where it starts. */
export interface SqlStatement {
  readonly text: string;
  /** 1-based line of the statement's first character in the file. */
  readonly line: number;
  /** 0-based character offset of the statement in the file. */
  readonly offset: number;
}

/**
 * Splits a SQL script into statements at top-level semicolons, skipping quoted strings,
 * quoted identifiers, dollar-quoted bodies and comments. Hand-written because the loader
 * must run statements one by one (CREATE INDEX CONCURRENTLY and ALTER TYPE ... ADD VALUE
 * refuse a multi-statement transaction), and no maintained npm splitter is on Node 20
 * without a native or WASM parser; this small lexer is enough for splitting.
 */
export function splitSql(source: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  let parenDepth = 0;
  const push = (end: number) => {
    const raw = source.slice(start, end);
    const leading = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text && !isOnlyComments(text)) {
      const offset = start + leading;
      statements.push({ text, offset, line: lineAt(source, offset) });
    }
    start = end + 1;
  };
  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === '-' && next === '-') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end + 1;
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < source.length && depth > 0) {
        if (source[i] === '/' && source[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (source[i] === '*' && source[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (ch === "'") {
      const escapes = /[eE]/.test(source[i - 1] ?? '') && !/[\w$]/.test(source[i - 2] ?? '');
      i++;
      while (i < source.length) {
        if (escapes && source[i] === '\\') i += 2;
        else if (source[i] === "'" && source[i + 1] === "'") i += 2;
        else if (source[i] === "'") break;
        else i++;
      }
      i++;
    } else if (ch === '"') {
      i++;
      while (i < source.length && !(source[i] === '"' && source[i + 1] !== '"')) i += source[i] === '"' ? 2 : 1;
      i++;
    } else if (ch === '$' && !/[\w$]/.test(source[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(source.slice(i, i + 64));
      if (tag) {
        const close = source.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? source.length : close + tag[0].length;
      } else i++;
    } else if (ch === '(') {
      parenDepth++;
      i++;
    } else if (ch === ')') {
      parenDepth = Math.max(0, parenDepth - 1);
      i++;
    } else if (ch === ';' && parenDepth === 0) {
      // SQL-standard function bodies (BEGIN ATOMIC ... END) contain semicolons of their own.
      const soFar = source.slice(start, i);
      const beginAtomic = countBeginAtomic(soFar);
      if (beginAtomic > 0 && !/\bEND\s*$/i.test(soFar)) {
        i++;
        continue;
      }
      push(i);
      i++;
    } else i++;
  }
  push(source.length);
  return statements;
}

function countBeginAtomic(text: string): number {
  return (text.match(/\bBEGIN\s+ATOMIC\b/gi) ?? []).length;
}

function isOnlyComments(text: string): boolean {
  return text.replace(/--[^\n]*(\n|$)/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}

/** 1-based line number of a character offset. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
