/** Seeded mutations of YAML text for the loader fuzz tests (test/playbook/fuzz-loaders.test.ts, bench/fuzz.ts). */

/** A small deterministic PRNG (mulberry32), so a failing mutation can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What YAML and psremedy find hardest: indicators, quotes, tabs, CR, NUL, non-ASCII, templates.
const NASTY = [
  '[',
  ']',
  '{',
  '}',
  ':',
  ': ',
  ',',
  '-',
  '- ',
  '?',
  '? ',
  '!',
  '!ps ',
  '!!binary ',
  '&a ',
  '*a',
  '|',
  '>',
  "'",
  '"',
  '#',
  '%',
  '@',
  '`',
  '\t',
  '\r',
  '\r\n',
  '\n',
  '\u0000',
  '\u00e9',
  '\ufeff',
  '\u2028',
  '~',
  'null',
  '${{',
  '}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
  '${{ params.Port + 1 }}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
  '${{ steps.x.result }}',
  '<<: *a',
  '---',
  '...',
  '\\',
  `${'9'.repeat(400)}s`,
  '1e400',
  '-1',
  '0x10',
  '.inf',
  'true',
  '"\\u0000"',
  '[[[[[[[[[[',
  '{a: {b: {c: ',
];

type Mutation = (text: string, random: () => number) => string;

const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;
const at = (text: string, random: () => number) => Math.floor(random() * (text.length + 1));

const MUTATIONS: Mutation[] = [
  (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + pick(NASTY, r) + t.slice(i);
  },
  (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + t.slice(i + 1 + Math.floor(r() * 20));
  },
  (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[Math.floor(r() * lines.length)] ?? '');
    return lines.join('\n');
  },
  (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    const j = Math.floor(r() * lines.length);
    [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    return lines.join('\n');
  },
  (t, r) =>
    t
      .split('\n')
      .map((line) => (r() < 0.1 ? ' '.repeat(Math.floor(r() * 6)) + line.trimStart() : line))
      .join('\n'),
  (t, r) => t.slice(0, at(t, r)),
  (t, r) => {
    // Replace one value after ": " with something nasty.
    const matches = [...t.matchAll(/: [^\n]*/g)];
    const m = matches.length > 0 ? pick(matches, r) : undefined;
    if (!m || m.index === undefined) return t;
    return `${t.slice(0, m.index)}: ${pick(NASTY, r)}${t.slice(m.index + m[0].length)}`;
  },
  (t, r) => {
    const i = at(t, r);
    const depth = 1 + Math.floor(r() * 200);
    return `${t.slice(0, i)}${'['.repeat(depth)}${r() < 0.5 ? ']'.repeat(depth) : ''}${t.slice(i)}`;
  },
  (t, r) => (r() < 0.5 ? t.replaceAll('\n', '\r') : t.replaceAll('  ', '\t')),
];

/** One to three random mutations of `text`. */
export function mutateYaml(text: string, random: () => number): string {
  let out = text;
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) out = pick(MUTATIONS, random)(out, random);
  return out;
}
