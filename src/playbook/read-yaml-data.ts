import { isAlias, isScalar, Scalar, visit, type YAMLError } from 'yaml';
import { findUnclosedFlow } from './flow-brackets.js';
import type { ProblemList } from './problem-list.js';
import { checkYamlNodes } from './yaml-node-checks.js';
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
  const said = new Set<string>();
  for (const error of source.doc.errors) {
    // A tab used for indentation confuses the parser for the rest of its line (whatever error it
    // then reports, e.g. in a block scalar): report the tab only, once per line.
    const { line } = positionOfOffset(source, error.pos[0]);
    if (tabLines.has(line)) continue;
    const tab = indentTabOffset(source, line);
    if (error.code === 'TAB_AS_INDENT' || tab !== undefined) {
      tabLines.add(line);
      if (tab !== undefined) {
        problems.addAt(
          positionOfOffset(source, tab),
          pathAtOffset(source, tab),
          TAB_MESSAGE,
          HINTS.TAB_AS_INDENT,
        );
        continue;
      }
    }
    // One unclosed bracket or one stack overflow makes many errors; each is said once.
    const kind = UNCLOSED_FLOW.test(error.message)
      ? 'unclosed'
      : error.code === 'RESOURCE_EXHAUSTION'
        ? 'deep'
        : '';
    if (kind && said.has(kind)) continue;
    if (kind) said.add(kind);
    addYamlError(source, problems, error);
  }
  if (source.doc.errors.length > 0) return undefined;
  if (checkYamlNodes(source, problems)) return undefined;
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

const TAB_MESSAGE = 'tab character used for indentation';

// The offset of a tab in the leading whitespace of a 1-based line, if there is one.
function indentTabOffset(source: YamlSource, line: number): number | undefined {
  const start = source.lineCounter.lineStarts[line - 1];
  if (start === undefined) return undefined;
  const indent = /^[ \t]*/.exec(source.text.slice(start, start + 200))?.[0] ?? '';
  const tab = indent.indexOf('\t');
  return tab < 0 ? undefined : start + tab;
}

const UNCLOSED_FLOW = /must be sufficiently indented and end with a [\]}]/;

function addYamlError(source: YamlSource, problems: ProblemList, error: YAMLError): void {
  const unclosed = UNCLOSED_FLOW.test(error.message) ? findUnclosedFlow(source.text) : undefined;
  if (unclosed) {
    problems.addAt(
      positionOfOffset(source, unclosed.offset),
      pathAtOffset(source, unclosed.offset),
      `this ${unclosed.open} is never closed with ${unclosed.close}`,
      `close it with ${unclosed.close}, or write the items as a block (one per line)`,
    );
    return;
  }
  if (error.code === 'RESOURCE_EXHAUSTION') {
    const message = /nested more than/.test(error.message)
      ? error.message
      : 'the YAML is nested too deeply to read';
    problems.addAt(
      positionOfOffset(source, error.pos[0]),
      '',
      message,
      'a playbook needs only a few levels of nesting',
    );
    return;
  }
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
    problems.addAt(at, path, TAB_MESSAGE, HINTS.TAB_AS_INDENT);
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
