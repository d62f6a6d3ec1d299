import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { parsePointer } from './json-pointer.js';
import { jsonOffsets } from './json-positions.js';

/** A 1-based line and column in a source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Finds where the value at a JSON pointer is written; `undefined` when it is not in the text. */
export interface PositionLookup {
  (pointer: string): SourcePosition | undefined;
  /** Many pointers at once (one scan of JSON text instead of one per pointer). */
  many(pointers: readonly string[]): (SourcePosition | undefined)[];
}

/**
 * Builds a lookup from JSON pointer to line:column over YAML or JSON text, parsed only when
 * first asked (most documents never need it). YAML goes through the `yaml` AST, and pointers
 * that pass through a local `$ref` continue at the referenced node, so a problem inside a
 * shared component points at the component. Strict JSON text is scanned directly instead:
 * the AST of a multi-megabyte JSON document would cost hundreds of megabytes.
 */
export function createPositionLookup(text: string): PositionLookup {
  let parsed: { root: Node | null; lines: LineCounter } | undefined;
  let lineStarts: number[] | undefined;
  // Decided when first asked: JSON.parse of a large document is not free, and most never ask.
  let json: boolean | undefined;
  const isJsonText = () => (json ??= /^\s*[{[]/.test(text) && isJson(text));
  const toPosition = (offset: number | undefined): SourcePosition | undefined => {
    if (offset === undefined) return undefined;
    lineStarts ??= computeLineStarts(text);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] as number) + 1 };
  };
  const many = (pointers: readonly string[]): (SourcePosition | undefined)[] => {
    if (isJsonText()) return jsonOffsets(text, pointers).map(toPosition);
    parsed ??= parseForPositions(text);
    const { root } = parsed;
    return pointers.map((pointer) => toPosition(offsetOf(root, parsePointer(pointer))));
  };
  const lookup = ((pointer: string) => many([pointer])[0]) as PositionLookup;
  lookup.many = many;
  return lookup;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function parseForPositions(text: string): { root: Node | null; lines: LineCounter } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, keepSourceTokens: false, uniqueKeys: false });
  return { root: (document.contents as Node | null) ?? null, lines };
}

function offsetOf(root: Node | null, tokens: readonly string[]): number | undefined {
  let node: Node | null | undefined = root;
  let offset = node?.range?.[0];
  const seenRefs = new Set<string>();
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as string;
    const next = step(node, token);
    if (next === undefined) {
      // Follow a local $ref on the way, then retry the same token there.
      const ref = refOf(node);
      if (ref === undefined || seenRefs.has(ref)) return offset;
      seenRefs.add(ref);
      const target = offsetTarget(root, parsePointer(ref));
      if (target === undefined) return offset;
      node = target;
      offset = node.range?.[0] ?? offset;
      index -= 1;
      continue;
    }
    node = next.value;
    // The last token points at its key, which is where a reader looks for it.
    offset = index === tokens.length - 1 ? next.keyOffset : (node?.range?.[0] ?? next.keyOffset);
  }
  return offset;
}

function offsetTarget(root: Node | null, tokens: readonly string[]): Node | undefined {
  let node: Node | null | undefined = root;
  for (const token of tokens) {
    const next = step(node, token);
    if (next === undefined) return undefined;
    node = next.value;
  }
  return node ?? undefined;
}

function step(node: Node | null | undefined, token: string): { value: Node | null; keyOffset: number } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      const keyText = isScalar(key) ? String(key.value) : undefined;
      if (keyText === token) {
        const value = (pair.value as Node | null) ?? null;
        return { value, keyOffset: key?.range?.[0] ?? value?.range?.[0] ?? 0 };
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    const item = node.items[Number(token)] as Node | null | undefined;
    if (item === undefined) return undefined;
    return { value: item, keyOffset: item?.range?.[0] ?? node.range?.[0] ?? 0 };
  }
  return undefined;
}

function refOf(node: Node | null | undefined): string | undefined {
  const ref = step(node, '$ref');
  if (ref === undefined || !isScalar(ref.value)) return undefined;
  const value = ref.value.value;
  return typeof value === 'string' && value.startsWith('#') ? value : undefined;
}
