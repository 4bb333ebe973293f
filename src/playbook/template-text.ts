/** One `${{ expr }}` in a string: where it starts and ends, and the expression inside. */
export interface TemplateSegment {
  /** Offset of `${{` in the string. */
  start: number;
  /** Offset just past `}}`. */
  end: number;
  /** The expression text between the braces, untrimmed. */
  expression: string;
  /** Offset of the expression text in the string. */
  expressionStart: number;
}

/** The segments of a string, or where an unterminated `${{` starts. */
export interface TemplateScan {
  segments: TemplateSegment[];
  unterminatedAt?: number;
}

const OPEN = '${{';

/** True when a string holds at least one `${{`. */
export function hasTemplate(text: string): boolean {
  return text.includes(OPEN);
}

/**
 * Finds every `${{ expr }}` in a string. The closing `}}` is the first one outside CEL string
 * literals and map braces, so `${{ {"a": {"b": 1}} }}` and `${{ "}}" }}` work.
 */
export function scanTemplates(text: string): TemplateScan {
  const segments: TemplateSegment[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(OPEN, from);
    if (start < 0) return { segments };
    const expressionStart = start + OPEN.length;
    const close = findClose(text, expressionStart);
    if (close < 0) return { segments, unterminatedAt: start };
    segments.push({ start, end: close + 2, expression: text.slice(expressionStart, close), expressionStart });
    from = close + 2;
  }
}

/** The expression when a string is exactly one `${{ expr }}` (spaces around it allowed), else undefined. */
export function soleExpression(text: string): TemplateSegment | undefined {
  const { segments, unterminatedAt } = scanTemplates(text);
  const only = segments[0];
  if (unterminatedAt !== undefined || segments.length !== 1 || !only) return undefined;
  return text.slice(0, only.start).trim() === '' && text.slice(only.end).trim() === '' ? only : undefined;
}

function findClose(text: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}
