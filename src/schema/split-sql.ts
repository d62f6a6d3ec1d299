/** One statement of a SQL file, with where it starts. */
export interface SqlStatement {
  readonly text: string;
  /** 1-based line of the statement's first character in the file. */
  readonly line: number;
  /** 0-based character offset of the statement in the file. */
  readonly offset: number;
}

const isWordChar = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code > 127;
const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/** Where the quoted string, identifier, comment or dollar-quoted body starting at `i` ends (exclusive). */
function skipQuoted(source: string, i: number): number {
  const code = source.charCodeAt(i);
  const next = source.charCodeAt(i + 1);
  if (code === 45 && next === 45) {
    // -- comment
    const end = source.indexOf('\n', i);
    return end === -1 ? source.length : end + 1;
  }
  if (code === 47 && next === 42) return skipBlockComment(source, i + 2);
  if (code === 39) return skipString(source, i);
  if (code === 34) {
    // "quoted identifier" with "" doubled
    let j = i + 1;
    while (j < source.length) {
      if (source.charCodeAt(j) !== 34) j++;
      else if (source.charCodeAt(j + 1) === 34) j += 2;
      else break;
    }
    return j + 1;
  }
  // $tag$ ... $tag$ (a lone `$` is one character)
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(source.slice(i, i + 64));
  if (!tag) return i + 1;
  const close = source.indexOf(tag[0], i + tag[0].length);
  return close === -1 ? source.length : close + tag[0].length;
}

/** `/* nested block comment *\/`, from just after its opening. */
function skipBlockComment(source: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < source.length && depth > 0) {
    const c = source.charCodeAt(i);
    const n = source.charCodeAt(i + 1);
    if (c === 47 && n === 42) {
      depth++;
      i += 2;
    } else if (c === 42 && n === 47) {
      depth--;
      i += 2;
    } else i++;
  }
  return i;
}

/** '...' with '' doubled; E'...' also takes backslash escapes. */
function skipString(source: string, at: number): number {
  const before = source.charCodeAt(at - 1);
  const escapes = (before === 69 || before === 101) && !isWordChar(source.charCodeAt(at - 2));
  let i = at + 1;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (escapes && c === 92) i += 2;
    else if (c === 39 && source.charCodeAt(i + 1) === 39) i += 2;
    else if (c === 39) break;
    else i++;
  }
  return i + 1;
}

/** True when the character at `i` opens a comment, string, quoted identifier or dollar quote. */
function opensQuoted(source: string, i: number): boolean {
  const code = source.charCodeAt(i);
  const next = source.charCodeAt(i + 1);
  return (code === 45 && next === 45) || (code === 47 && next === 42) || code === 39 || code === 34 || (code === 36 && !isWordChar(source.charCodeAt(i - 1)));
}

/**
 * Splits a SQL script into statements at top-level semicolons, skipping quoted strings,
 * quoted identifiers, dollar-quoted bodies and comments. Hand-written because the loader
 * must run statements one by one (CREATE INDEX CONCURRENTLY and ALTER TYPE ... ADD VALUE
 * refuse a multi-statement transaction), and no maintained npm splitter is on Node 20
 * without a native or WASM parser; this small lexer is enough for splitting.
 *
 * One pass, linear in the length of the script (20 MB split in about a second:
 * scripts/split-sql-timing.mjs): lines are counted as the scan goes, and a statement starts at
 * its first character that is not blank or comment, so its line is the line of its first word.
 */
export function splitSql(source: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  const lines = lineCounter(source);
  // Where the current statement's code starts (-1: only blanks and comments so far).
  let codeStart = -1;
  let parenDepth = 0;
  // SQL-standard function bodies (BEGIN ATOMIC ... END) contain semicolons of their own.
  let inAtomic = false;
  let lastWord = '';
  let lastWordEnd = -1;
  const push = (end: number) => {
    const text = codeStart === -1 ? '' : source.slice(codeStart, end).trimEnd();
    if (text) statements.push({ text, offset: codeStart, line: lines(codeStart) });
    codeStart = -1;
    inAtomic = false;
    lastWord = '';
  };
  let i = 0;
  while (i < source.length) {
    const code = source.charCodeAt(i);
    const next = source.charCodeAt(i + 1);
    const isComment = (code === 45 && next === 45) || (code === 47 && next === 42);
    if (isSpace(code)) {
      i++;
      continue;
    }
    if (codeStart === -1 && !isComment && !(code === 59 && parenDepth === 0)) codeStart = i;
    if (opensQuoted(source, i)) i = skipQuoted(source, i);
    else if (isWordChar(code)) {
      const start = i;
      while (i < source.length && isWordChar(source.charCodeAt(i))) i++;
      const word = i - start <= 6 ? source.slice(start, i).toUpperCase() : '';
      if (word === 'ATOMIC' && lastWord === 'BEGIN') inAtomic = true;
      lastWord = word;
      lastWordEnd = i;
    } else {
      if (code === 40) parenDepth++;
      else if (code === 41) parenDepth = Math.max(0, parenDepth - 1);
      // A BEGIN ATOMIC body ends at `END;` (only blanks between the word and the semicolon).
      else if (code === 59 && parenDepth === 0 && !(inAtomic && !(lastWord === 'END' && source.slice(lastWordEnd, i).trim() === ''))) push(i);
      i++;
    }
  }
  push(source.length);
  return statements;
}

/** Line numbers of increasing offsets, counted once over the text. */
function lineCounter(source: string): (offset: number) => number {
  let line = 1;
  let countedTo = 0;
  return (offset) => {
    for (; countedTo < offset; countedTo++) if (source.charCodeAt(countedTo) === 10) line++;
    return line;
  };
}

/** 1-based line number of a character offset. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
