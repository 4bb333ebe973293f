/**
 * INI host-line values as Ansible reads them: Python's `ast.literal_eval` of the word, falling
 * back to the word itself as a string (`port=5986` is a number, `name='5986'` after shell quoting
 * is the string `'5986'` only when quoted twice: `name="'5986'"`).
 */
export function readPythonLiteral(text: string): unknown {
  const parser = new LiteralParser(text);
  try {
    const value = parser.value();
    parser.skipSpaces();
    return parser.atEnd() ? value : text;
  } catch {
    return text;
  }
}

class LiteralParser {
  private at = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length;
  }

  skipSpaces(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  value(): unknown {
    this.skipSpaces();
    const c = this.text[this.at];
    if (c === "'" || c === '"') return this.string(c);
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === '{') return this.dict();
    const word = /^[+-]?[A-Za-z0-9_.]+/.exec(this.text.slice(this.at))?.[0];
    if (word === undefined) throw new Error('not a literal');
    this.at += word.length;
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    return readNumber(word);
  }

  private string(quote: string): string {
    let out = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text[this.at]!;
      if (c === quote) {
        this.at++;
        return out;
      }
      if (c === '\\') {
        const next = this.text[++this.at] ?? '';
        out += ESCAPES[next] ?? `\\${next}`;
        continue;
      }
      out += c;
    }
    throw new Error('unclosed string');
  }

  private sequence(close: string): unknown[] {
    const items: unknown[] = [];
    this.at++;
    for (;;) {
      this.skipSpaces();
      if (this.text[this.at] === close) {
        this.at++;
        return items;
      }
      items.push(this.value());
      this.skipSpaces();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== close) throw new Error('expected , or close');
    }
  }

  private dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    for (;;) {
      this.skipSpaces();
      if (this.text[this.at] === '}') {
        this.at++;
        return out;
      }
      const key = this.value();
      this.skipSpaces();
      if (this.text[this.at++] !== ':') throw new Error('expected :');
      out[String(key)] = this.value();
      this.skipSpaces();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== '}') throw new Error('expected , or }');
    }
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

function readNumber(word: string): number {
  const plain = word.replace(/_/g, '');
  if (/^[+-]?\d+$/.test(plain)) {
    // Python 3 refuses leading zeros in decimal literals ("010").
    if (/^[+-]?0\d/.test(plain)) throw new Error('leading zero');
    return Number(plain);
  }
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(plain)) return Number.parseInt(plain, 16);
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(plain)) return Number(plain);
  throw new Error('not a number');
}
