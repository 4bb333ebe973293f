/** Fitting text to a terminal's width: wrapping at spaces with a hanging indent, or cutting. */

/** The width to lay text out for: the terminal's columns, else 80. */
export function terminalWidth(stream: { columns?: number } = process.stdout): number {
  return stream.columns && stream.columns >= 40 ? stream.columns : 80;
}

/**
 * `text` wrapped to `width` columns at spaces, keeping its leading spaces; every line after the
 * first starts with `indent`. A word longer than a line stays whole.
 */
export function wrapText(text: string, width: number, indent: string): string[] {
  const lead = /^ */.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = '';
  for (const word of text.slice(lead.length).split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    const room = lines.length === 0 ? width - lead.length : width - indent.length;
    if (visibleLength(candidate) <= room || line === '') line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? `${lead}${l}` : `${indent}${l}`));
}

/** Columns a text takes on a terminal: its length without colour codes. */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** `text` cut to `width` columns with an ellipsis. */
export function cutText(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;
}
