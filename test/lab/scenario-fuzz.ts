/**
 * A seeded fuzzer for the lab scenario loader: mutates the shipped scenarios (bytes, lines, YAML
 * anchors and aliases, hostile keys and pointers, extreme times, odd bases) and loads each one.
 * Every load must end in a scenario or a PlaybookError with positions: never another error, a
 * stack, a hang, or a change to Object.prototype.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PlaybookError } from '../../src/core/errors.js';
import { SCENARIO_DIR } from '../../src/lab/lab-paths.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';
import { seededRandom } from '../support/yaml-mutations.js';

/** What a fuzz run found. */
export interface FuzzReport {
  mutations: number;
  loaded: number;
  refused: number;
  /** Loads that threw something other than a PlaybookError, or a PlaybookError without a position. */
  crashes: Array<{ mutation: string; error: string }>;
  slowestMs: number;
}

const SNIPPETS = [
  '*missing',
  '&a x',
  '*a',
  '[',
  '{',
  '- ',
  ': :',
  '"\\u0000"',
  '~',
  'null',
  '[]',
  '{}',
  '9'.repeat(400),
  '__proto__',
  'constructor',
  '!!binary AAAA',
  '!!js/function x',
  '\t',
  '---',
  '? ',
];

const CHANGES = [
  '  - set: { path: /__proto__/polluted, value: yes }',
  '  - set: { path: /constructor/prototype/polluted, value: yes }',
  '  - set: { path: /services/0/__proto__, value: { polluted: yes } }',
  '  - set: { path: /firewall/rules/99999999999/name, value: x }',
  '  - set: { path: /firewall/rules/-1, value: x }',
  '  - set: { path: /, value: 1 }',
  '  - set: { path: /clock, value: [1, 2] }',
  '  - setClock: clock+99999999999d',
  '  - setClock: clock-99999999999d',
  '  - setClock: 275760-09-14T00:00:01Z',
  '  - setClock: "0"',
  '  - addEvent: { logName: System, providerName: x, id: 1, level: 2, message: m, timeCreated: clock+9999999999d }',
  '  - setCertificate: { store: Remote Desktop, notAfter: clock+9999999999d }',
  '  - setCertificate: { store: __proto__, notAfter: clock }',
  '  - setService: { name: constructor, status: Running }',
  '  - setRegistryValue: { key: __proto__, name: x, type: DWord, value: 1 }',
  '  - removeRegistryValue: { key: "HKLM:\\\\x", name: toString }',
  '  - setClientDns: { name: __proto__, addresses: [1.2.3.4] }',
  '  - &anchor setClock: clock',
  '  - *anchor',
  '  - *nowhere',
  '  - []',
  '  - 42',
  '  - { setClock: clock, setService: { name: x } }',
];

const BASES = [
  'base: ./not-json.json',
  'base: ./array.json',
  'base: ./null.json',
  'base: ./empty-object.json',
  'base: ./no-such.json',
  'base: ./folder.json',
  'base: __proto__',
  'base: ../../../../../../etc/hostname',
  'base: [healthy]',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(random() * lines.length);
  switch (Math.floor(random() * 9)) {
    case 0: {
      const bytes = Buffer.from(text);
      const i = Math.floor(random() * bytes.length);
      bytes[i] = Math.floor(random() * 256);
      return bytes.toString('latin1');
    }
    case 1:
      lines.splice(at, 1);
      return lines.join('\n');
    case 2:
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    case 3: {
      const line = lines[at] ?? '';
      const col = Math.floor(random() * (line.length + 1));
      lines[at] = `${line.slice(0, col)}${pick(random, SNIPPETS)}${line.slice(col)}`;
      return lines.join('\n');
    }
    case 4:
    case 5:
      return `${text.trimEnd().includes('changes:') ? text.trimEnd() : `${text.trimEnd()}\nchanges:`}\n${pick(random, CHANGES)}\n`;
    case 6:
      return text.replace(/^base: .*$/m, pick(random, BASES));
    case 7:
      return text.slice(0, Math.floor(random() * text.length));
    default:
      return (
        pick(random, ['- a\n- b\n', '[]', '"just a string"', '', '42', '*a', 'name: [&a x, *a]\n']) +
        (random() < 0.5 ? '' : text)
      );
  }
}

function writeBases(dir: string): void {
  writeFileSync(join(dir, 'not-json.json'), '{ "registry": ');
  writeFileSync(join(dir, 'array.json'), '[1, 2]');
  writeFileSync(join(dir, 'null.json'), 'null');
  writeFileSync(join(dir, 'empty-object.json'), '{}');
  mkdirSync(join(dir, 'folder.json'));
}

/** Runs `mutations` seeded mutations of the shipped scenarios through loadScenario. */
export async function fuzzScenarioLoader(mutations: number, seed = 1): Promise<FuzzReport> {
  const random = seededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-fuzz-'));
  writeBases(dir);
  const sources = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ name: basename(f, '.yaml'), text: readFileSync(join(SCENARIO_DIR, f), 'utf8') }));
  const report: FuzzReport = { mutations, loaded: 0, refused: 0, crashes: [], slowestMs: 0 };
  for (let i = 0; i < mutations; i++) {
    const source = pick(random, sources);
    let text = source.text;
    const rounds = 1 + Math.floor(random() * 3);
    for (let r = 0; r < rounds; r++) text = mutate(text, random);
    const file = join(dir, `${source.name}.yaml`);
    writeFileSync(file, text);
    const started = performance.now();
    try {
      await loadScenario(file);
      report.loaded += 1;
    } catch (error) {
      const positioned =
        error instanceof PlaybookError &&
        error.problems.length > 0 &&
        error.problems.every((p) => p.line >= 1 && p.col >= 1 && !/\n\s+at /.test(p.message));
      if (positioned) report.refused += 1;
      else
        report.crashes.push({
          mutation: text,
          error:
            error instanceof PlaybookError
              ? JSON.stringify(error.problems)
              : String((error as Error)?.stack ?? error),
        });
    }
    report.slowestMs = Math.max(report.slowestMs, performance.now() - started);
    // Counted and cleaned at once, so one pollution neither hides nor multiplies the next finding.
    for (const key of Object.keys(Object.prototype)) {
      report.crashes.push({ mutation: text, error: `Object.prototype polluted: ${key}` });
      delete (Object.prototype as Record<string, unknown>)[key];
    }
  }
  return report;
}
