import { isAlias, isScalar, Scalar, visit, type YAMLError } from 'yaml';
import type { ProblemList } from './problem-list.js';
import { pathAtOffset, positionOfOffset, type YamlSource } from './yaml-source.js';

/** Aliases beyond this many are treated as a resource-exhaustion attack ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

const HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  BAD_SCALAR_START: 'quote the value, or write PowerShell text as a `|` block scalar',
  BLOCK_AS_IMPLICIT_KEY: 'a plain value cannot contain ": "; quote it or use a `|` block scalar',
  MULTIPLE_DOCS: 'a playbook is one YAML document; remove the `---` separator',
  MISSING_CHAR: 'close the quote or bracket that was opened',
  BAD_INDENT: 'line up items of the same map or list at the same column, with spaces',
  UNEXPECTED_TOKEN: 'check the indentation and quoting of this line',
};

/**
 * Turns the YAML syntax errors of a parsed file into problems and returns its data as plain JS,
 * or undefined when the file cannot be read as data at all (syntax errors, alias bombs).
 */
export function readYamlData(source: YamlSource, problems: ProblemList): unknown {
  const tabLines = new Set<number>();
  for (const error of source.doc.errors) {
    // A tab used for indentation confuses the parser for the rest of its line: report the tab only.
    const { line } = positionOfOffset(source, error.pos[0]);
    if (tabLines.has(line)) continue;
    if (error.code === 'TAB_AS_INDENT') tabLines.add(line);
    addYamlError(source, problems, error);
  }
  if (source.doc.errors.length > 0) return undefined;
  try {
    return source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const at = firstAliasPosition(source);
    const message = (error as Error).message;
    if (/alias count/i.test(message))
      problems.addAt(
        at,
        '',
        `too many YAML aliases (more than ${MAX_ALIAS_COUNT} expansions); refused as a resource-exhaustion attack`,
        'write the values out instead of repeating anchors (&name / *name)',
      );
    else
      problems.addAt(
        at,
        '',
        message.split('\n')[0] ?? message,
        'define the anchor (&name) before its alias (*name)',
      );
    return undefined;
  }
}

function addYamlError(source: YamlSource, problems: ProblemList, error: YAMLError): void {
  const offset =
    error.code === 'MISSING_CHAR' ? (unclosedQuoteStart(source, error.pos[0]) ?? error.pos[0]) : error.pos[0];
  const at = positionOfOffset(source, offset);
  const path = pathAtOffset(source, offset);
  if (error.code === 'DUPLICATE_KEY') {
    const key = duplicateKeyAt(source.text, offset);
    problems.addAt(
      at,
      path,
      key ? `duplicate key "${key}"` : 'duplicate key',
      'each key may appear once in a map; remove or rename one of them',
    );
    return;
  }
  if (error.code === 'MULTIPLE_DOCS') {
    problems.addAt(at, '', 'the file holds more than one YAML document', HINTS.MULTIPLE_DOCS);
    return;
  }
  if (error.code === 'MISSING_CHAR' && offset !== error.pos[0]) {
    problems.addAt(at, path, 'this quoted value is never closed', 'add the closing quote');
    return;
  }
  if (error.code === 'TAB_AS_INDENT') {
    problems.addAt(at, path, 'tab character used for indentation', HINTS.TAB_AS_INDENT);
    return;
  }
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const message = `YAML syntax: ${lowerFirst(firstLine.replace(/ at line \d+, column \d+:?$/, ''))}`;
  problems.addAt(at, path, message, HINTS[error.code]);
}

function duplicateKeyAt(text: string, offset: number): string | undefined {
  const match = /^\s*["']?([^"':\n]+)["']?\s*:/.exec(text.slice(offset, offset + 200));
  return match?.[1]?.trim();
}

// The parser reports a missing closing quote at the end of the file; point at where it opened.
function unclosedQuoteStart(source: YamlSource, errorOffset: number): number | undefined {
  let start: number | undefined;
  visit(source.doc, {
    Scalar(_, node) {
      if (!isScalar(node) || !node.range || node.range[0] > errorOffset) return;
      if (node.type !== Scalar.QUOTE_DOUBLE && node.type !== Scalar.QUOTE_SINGLE) return;
      const quote = node.type === Scalar.QUOTE_DOUBLE ? '"' : "'";
      const raw = source.text.slice(node.range[0], node.range[1]).trimEnd();
      if (raw.length < 2 || !raw.endsWith(quote)) start = node.range[0];
    },
  });
  return start;
}

function firstAliasPosition(source: YamlSource): { line: number; col: number } {
  let offset: number | undefined;
  visit(source.doc, {
    Alias(_, node) {
      if (isAlias(node) && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset === undefined ? { line: 1, col: 1 } : positionOfOffset(source, offset);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
