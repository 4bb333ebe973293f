/** Finds private key material of lab states in text: PEM markers or any line of a key's base64. */

/** Every base64 line of every private key (`keyPem`) in a value. */
export function privateKeyLines(value: unknown): string[] {
  const lines: string[] = [];
  const visit = (v: unknown, key?: string): void => {
    if (typeof v === 'string' && key === 'keyPem')
      lines.push(
        ...v
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l.length >= 32 && !l.startsWith('-----')),
      );
    else if (Array.isArray(v)) for (const item of v) visit(item);
    else if (v !== null && typeof v === 'object') for (const [k, f] of Object.entries(v)) visit(f, k);
  };
  visit(value);
  return lines;
}

/** What of the given key lines (or a PEM private key marker) appears in a text; empty when none. */
export function keyMaterialIn(text: string, keyLines: string[]): string[] {
  const found = keyLines.filter((l) => text.includes(l) || text.includes(l.slice(0, 40)));
  if (/PRIVATE KEY/.test(text)) found.unshift('PRIVATE KEY');
  return found;
}
