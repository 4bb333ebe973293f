/**
 * Splits an INI host line into words as Python's `shlex.split(line, comments=True)` does (Ansible's
 * ini plugin): whitespace separates, '...' is literal, "..." keeps backslash escapes of \ " $ `,
 * a backslash outside quotes escapes the next character, and `#` outside quotes ends the line.
 */
export function splitShellWords(
  line: string,
): { words: Array<{ text: string; offset: number }> } | { error: string } {
  const words: Array<{ text: string; offset: number }> = [];
  let current: string | undefined;
  let start = 0;
  const finish = () => {
    if (current !== undefined) words.push({ text: current, offset: start });
    current = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      finish();
      continue;
    }
    if (c === '#') break;
    if (current === undefined) {
      current = '';
      start = i;
    }
    if (c === '\\') {
      if (i + 1 < line.length) current += line[++i];
      continue;
    }
    if (c === "'" || c === '"') {
      const close = findClosingQuote(line, i);
      if (close < 0) return { error: `the quote ${c} at column ${i + 1} is never closed` };
      current += c === "'" ? line.slice(i + 1, close) : unescapeDouble(line.slice(i + 1, close));
      i = close;
      continue;
    }
    current += c;
  }
  finish();
  return { words };
}

function findClosingQuote(line: string, open: number): number {
  const quote = line[open];
  for (let i = open + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') {
      i++;
      continue;
    }
    if (line[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\([\\"$`])/g, '$1');
}
