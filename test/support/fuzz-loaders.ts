/** Feeds mutated shipped playbooks and scenarios to loadPlaybook and loadScenario; counts what went wrong. */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlaybookError } from '../../src/core/errors.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';
import { loadPlaybook } from '../../src/playbook/index.js';
import { mutateYaml, seededRandom } from './yaml-mutations.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A mutation that ended other than with a result or a PlaybookError, or took too long. */
export interface FuzzFailure {
  seed: number;
  source: string;
  kind: 'crash' | 'stack' | 'hang';
  detail: string;
}

/** The figures of one fuzz run. */
export interface FuzzFigures {
  mutations: number;
  accepted: number;
  refused: number;
  failures: FuzzFailure[];
  slowestMs: number;
}

/** A mutation taking longer than this counts as a hang. */
export const HANG_MS = 10_000;

/** Runs `count` mutations (seeds `firstSeed`...), alternating shipped playbooks and lab scenarios. */
export async function fuzzLoaders(count: number, firstSeed = 1): Promise<FuzzFigures> {
  const playbooks = readdirSync(join(root, 'playbooks')).filter((f) => f.endsWith('.yaml'));
  const scenarios = readdirSync(join(root, 'lab/scenarios')).filter((f) => f.endsWith('.yaml'));
  const work = mkdtempSync(join(tmpdir(), 'psremedy-fuzz-'));
  // Mutated playbooks sit where their ../ps-scripts paths still resolve.
  mkdirSync(join(work, 'playbooks'));
  symlinkSync(join(root, 'ps-scripts'), join(work, 'ps-scripts'));
  const figures: FuzzFigures = { mutations: 0, accepted: 0, refused: 0, failures: [], slowestMs: 0 };
  try {
    for (let seed = firstSeed; seed < firstSeed + count; seed++) {
      const random = seededRandom(seed);
      const isPlaybook = seed % 2 === 0;
      const name = isPlaybook ? playbooks[seed % playbooks.length]! : scenarios[seed % scenarios.length]!;
      const original = readFileSync(join(root, isPlaybook ? 'playbooks' : 'lab/scenarios', name), 'utf8');
      const dir = isPlaybook ? join(work, 'playbooks') : mkdtempSync(join(work, 's-'));
      const file = join(dir, name);
      writeFileSync(file, mutateYaml(original, random));
      const started = performance.now();
      const failure = await tryLoad(() => (isPlaybook ? loadPlaybook(file) : loadScenario(file)));
      const ms = performance.now() - started;
      figures.mutations++;
      figures.slowestMs = Math.max(figures.slowestMs, ms);
      const source = `${isPlaybook ? 'playbooks' : 'lab/scenarios'}/${basename(name)}`;
      if (failure === 'accepted') figures.accepted++;
      else if (failure === 'refused') figures.refused++;
      else figures.failures.push({ seed, source, ...failure });
      if (ms > HANG_MS) figures.failures.push({ seed, source, kind: 'hang', detail: `${Math.round(ms)} ms` });
      if (!isPlaybook) rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return figures;
}

async function tryLoad(
  load: () => Promise<unknown>,
): Promise<'accepted' | 'refused' | Omit<FuzzFailure, 'seed' | 'source'>> {
  try {
    await load();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof PlaybookError))
      return { kind: 'crash', detail: String((error as Error)?.stack ?? error) };
    const text = error.problems.map((p) => `${p.message}\n${p.hint ?? ''}`).join('\n');
    if (/\n\s+at \S+ \(|\bat .*\.[jt]s:\d+:\d+/.test(text))
      return { kind: 'stack', detail: text.slice(0, 500) };
    return 'refused';
  }
}
