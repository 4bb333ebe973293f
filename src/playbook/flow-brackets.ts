import { Lexer } from 'yaml';

/** Flow collections (`[ ]`, `{ }`) nested deeper than this are refused before the YAML is parsed. */
export const MAX_FLOW_DEPTH = 64;

// Zero-width markers the lexer adds between source tokens (document start, flow error end, scalar).
const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);
const CLOSER: Record<string, string> = { '[': ']', '{': '}' };

/** One `[` or `{` of the text, by offset. */
interface Bracket {
  char: string;
  offset: number;
}

/** Calls `visit` for each flow bracket with its offset and the depth after it; stops when it returns true. */
function walkBrackets(
  text: string,
  visit: (token: string, offset: number, open: Bracket[]) => boolean,
): void {
  let offset = 0;
  const open: Bracket[] = [];
  // The lexer does not recurse, so brackets inside quotes and comments never count.
  for (const token of new Lexer().lex(text)) {
    if (CONTROL_TOKENS.has(token)) continue;
    if (token === '[' || token === '{') open.push({ char: token, offset });
    if (visit(token, offset, open)) return;
    if (token === ']' || token === '}') open.pop();
    offset += token.length;
  }
  visit('', offset, open);
}

/** The offset of the first `[` or `{` that opens a flow collection deeper than `max`, or undefined. */
export function findTooDeepFlow(text: string, max = MAX_FLOW_DEPTH): number | undefined {
  let found: number | undefined;
  walkBrackets(text, (token, offset, open) => {
    if ((token === '[' || token === '{') && open.length > max) found = offset;
    return found !== undefined;
  });
  return found;
}

/** The first `[` or `{` never closed by its own bracket (a `]` for `[`), with the closer it lacks. */
export function findUnclosedFlow(text: string): { offset: number; open: string; close: string } | undefined {
  let found: Bracket | undefined;
  walkBrackets(text, (token, _offset, open) => {
    const top = open[open.length - 1];
    if ((token === ']' || token === '}') && top && CLOSER[top.char] !== token) found = top;
    else if (token === '' && open.length > 0) found = open[open.length - 1];
    return found !== undefined;
  });
  return found && { offset: found.offset, open: found.char, close: CLOSER[found.char] ?? '' };
}
