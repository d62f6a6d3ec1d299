import { parsePointer } from './json-pointer.js';

interface TrieNode {
  children: Map<string, TrieNode>;
  offset: number | undefined;
}

/**
 * Finds the offsets of many JSON pointers in JSON text with one scan and no tree: a YAML AST
 * of a multi-megabyte JSON document costs hundreds of MB. Each pointer maps to the offset of
 * its last key (or array item); a pointer that leaves the document maps to its deepest part
 * that exists. `$ref`s are not followed here.
 */
export function jsonOffsets(text: string, pointers: readonly string[]): (number | undefined)[] {
  const root: TrieNode = { children: new Map(), offset: 0 };
  const paths = pointers.map((pointer) => parsePointer(pointer));
  for (const tokens of paths) {
    let node = root;
    for (const token of tokens) {
      let next = node.children.get(token);
      if (next === undefined) {
        next = { children: new Map(), offset: undefined };
        node.children.set(token, next);
      }
      node = next;
    }
  }
  scan(text, root);
  return paths.map((tokens) => {
    let node = root;
    let offset = root.offset;
    for (const token of tokens) {
      const next = node.children.get(token);
      if (next?.offset === undefined) break;
      node = next;
      offset = next.offset;
    }
    return offset;
  });
}

interface Frame {
  trie: TrieNode | undefined;
  array: boolean;
  index: number;
  key: string | undefined;
  keyOffset: number;
}

function scan(text: string, root: TrieNode): void {
  const stack: Frame[] = [];
  let position = skipSpace(text, 0);
  const enter = (trie: TrieNode | undefined, at: number): void => {
    const char = text[at];
    if (char === '{' || char === '[') stack.push({ trie, array: char === '[', index: 0, key: undefined, keyOffset: at });
  };
  if (root.children.size === 0) return;
  enter(root, position);
  position += 1;
  while (stack.length > 0 && position < text.length) {
    position = skipSpace(text, position);
    const frame = stack[stack.length - 1] as Frame;
    const char = text[position];
    if (char === ',') {
      position += 1;
      continue;
    }
    if (char === '}' || char === ']') {
      stack.pop();
      position += 1;
      continue;
    }
    let token: string;
    let tokenOffset = position;
    if (frame.array) {
      token = String(frame.index);
      frame.index += 1;
    } else {
      const end = stringEnd(text, position);
      token = JSON.parse(text.slice(position, end)) as string;
      tokenOffset = position;
      position = skipSpace(text, end);
      position = skipSpace(text, position + 1); // the colon
    }
    const child = frame.trie?.children.get(token);
    if (child !== undefined) child.offset = tokenOffset;
    const valueChar = text[position];
    if (child !== undefined && child.children.size > 0 && (valueChar === '{' || valueChar === '[')) {
      enter(child, position);
      position += 1;
    } else {
      position = valueEnd(text, position);
    }
  }
}

function skipSpace(text: string, position: number): number {
  let at = position;
  while (at < text.length && (text[at] === ' ' || text[at] === '\n' || text[at] === '\r' || text[at] === '\t')) at += 1;
  return at;
}

/** The offset just past the string literal that starts at `position`. */
function stringEnd(text: string, position: number): number {
  let at = position + 1;
  while (at < text.length) {
    const char = text[at];
    if (char === '\\') at += 2;
    else if (char === '"') return at + 1;
    else at += 1;
  }
  return at;
}

/** The offset just past the value that starts at `position` (containers skipped whole). */
function valueEnd(text: string, position: number): number {
  const first = text[position];
  if (first === '"') return stringEnd(text, position);
  if (first !== '{' && first !== '[') {
    let at = position;
    while (at < text.length && !',}] \n\r\t'.includes(text[at] as string)) at += 1;
    return at;
  }
  let depth = 0;
  let at = position;
  while (at < text.length) {
    const char = text[at];
    if (char === '"') {
      at = stringEnd(text, at);
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) return at + 1;
    }
    at += 1;
  }
  return at;
}
