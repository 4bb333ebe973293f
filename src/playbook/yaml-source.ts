import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  YAMLParseError,
} from 'yaml';
import { findTooDeepFlow, MAX_FLOW_DEPTH } from './flow-brackets.js';

/** A parsed YAML text that can tell where any dotted path or offset is. */
export interface YamlSource {
  text: string;
  doc: Document;
  lineCounter: LineCounter;
}

/** A 1-based line and column. */
export interface LineCol {
  line: number;
  col: number;
}

/** A path into the document, as zod and yaml both use it. */
export type DocPath = ReadonlyArray<string | number>;

/**
 * Parses YAML text keeping positions; duplicate keys and syntax errors stay in `doc.errors`.
 * A lone CR ends a line as YAML says (the parser and its line counter only know LF), and flow
 * collections nested deeper than MAX_FLOW_DEPTH are one RESOURCE_EXHAUSTION error, not a parse.
 */
export function parseYamlSource(rawText: string): YamlSource {
  const text = rawText.replace(/\r(?!\n)/g, '\n');
  const lineCounter = new LineCounter();
  const tooDeep = findTooDeepFlow(text);
  const doc = parseDocument(tooDeep === undefined ? text : '', {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    keepSourceTokens: false,
  });
  if (tooDeep !== undefined) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
      lineCounter.addNewLine(at + 1);
    doc.errors.push(
      new YAMLParseError(
        [tooDeep, tooDeep + 1],
        'RESOURCE_EXHAUSTION',
        `flow collections ([ ] and { }) are nested more than ${MAX_FLOW_DEPTH} deep here`,
      ),
    );
  }
  return { text, doc, lineCounter };
}

/** The line and column of a character offset. */
export function positionOfOffset(source: YamlSource, offset: number): LineCol {
  const { line, col } = source.lineCounter.linePos(Math.max(0, Math.min(offset, source.text.length)));
  return { line, col };
}

/** The YAML node at a path, or undefined when the path does not exist in the file. */
export function nodeAt(source: YamlSource, path: DocPath): Node | undefined {
  if (path.length === 0) return isNode(source.doc.contents) ? source.doc.contents : undefined;
  const found = source.doc.getIn(path as Array<string | number>, true);
  return isNode(found) ? found : undefined;
}

/**
 * Where a path is: the key itself when `key` names a key of the map at `path` (unknown keys),
 * else the node, else the nearest ancestor that exists (a missing key points at its map).
 */
export function positionOfPath(source: YamlSource, path: DocPath, key?: string): LineCol {
  if (key !== undefined) {
    const map = nodeAt(source, path);
    if (isMap(map)) {
      const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      if (pair && isScalar(pair.key) && pair.key.range) return positionOfOffset(source, pair.key.range[0]);
    }
  }
  for (let p = path; ; p = p.slice(0, -1)) {
    const node = nodeAt(source, p);
    if (node?.range) return positionOfOffset(source, node.range[0]);
    if (p.length === 0) return { line: 1, col: 1 };
  }
}

/** The position of a map key at `path` (the key `path[-1]` in its parent map), or of the value. */
export function positionOfKey(source: YamlSource, path: DocPath): LineCol {
  const last = path[path.length - 1];
  if (typeof last === 'string') return positionOfPath(source, path.slice(0, -1), last);
  return positionOfPath(source, path);
}

/** The dotted path of the innermost collection holding `offset` (for YAML errors such as duplicate keys). */
export function pathAtOffset(source: YamlSource, offset: number): Array<string | number> {
  const path: Array<string | number> = [];
  let node: unknown = source.doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((item) => contains(item.value, offset));
      if (!pair || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item, offset));
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

function contains(node: unknown, offset: number): boolean {
  if (isPair(node)) return false;
  return (
    isNode(node) &&
    node.range !== undefined &&
    node.range !== null &&
    node.range[0] <= offset &&
    offset < node.range[2]
  );
}
