/**
 * DESIGN.md's layout, kept true: imports between src/ folders flow one way. A folder may import
 * itself and the folders listed for it here, nothing else (type-only and lazy imports count too:
 * they are knowledge of the other folder all the same).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * What each folder may import. DESIGN.md: `cli -> engine -> (playbook, powershell, approval) ->
 * core`; `ui` and `report` consume engine events and journal records. Where DESIGN.md is silent:
 * - report sits below ui: the terminal shows the report's words, marks and recap (ui -> report),
 *   and a report is written without a terminal (report never imports ui).
 * - approval checks a playbook and its scripts before a run (playbook, and powershell for the
 *   scripts' parser), so it sits beside the engine, never above it.
 * - lab simulates hosts: it reads scenarios with the playbook's YAML reader and starts PowerShell
 *   for its hosts; it knows nothing of runs.
 * - inventory reads host lists (Ansible, psremedy's own) into targets and params, with the
 *   playbook's YAML reader; a `lab:` host names a lab scenario, so it may ask lab which exist.
 * - scenario-test runs playbooks against lab hosts and judges the outcome, so it is an engine
 *   consumer at the level of ui, without any words of its own (cli renders its results).
 * - fleet runs the engine on many targets (runFleet, its sessions, its one-question-per-fix
 *   decider and journal): a layer above the engine, with no words of its own.
 * - cli wires everything and is imported by nothing.
 */
const ALLOWED: Record<string, string[]> = {
  core: [],
  playbook: ['core'],
  powershell: ['core'],
  approval: ['core', 'playbook', 'powershell'],
  engine: ['core', 'playbook', 'powershell', 'approval'],
  lab: ['core', 'playbook', 'powershell'],
  inventory: ['core', 'playbook', 'powershell', 'lab'],
  report: ['core', 'engine', 'playbook'],
  ui: ['core', 'engine', 'playbook', 'report'],
  'scenario-test': ['core', 'engine', 'playbook', 'powershell', 'lab'],
  fleet: ['core', 'engine', 'playbook', 'powershell'],
  cli: [
    'core',
    'engine',
    'playbook',
    'powershell',
    'approval',
    'lab',
    'inventory',
    'report',
    'ui',
    'scenario-test',
    'fleet',
  ],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The src/ folder of a path, or undefined when it is outside src/. */
function folderOf(path: string): string | undefined {
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return undefined;
  return rel.split(/[\\/]/)[0];
}

/** Every relative import of a file (static, `import type`, `export ... from`, and `import()`). */
function importsOf(text: string): string[] {
  const specs = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm);
  return [...specs].map((m) => m[1] as string);
}

/** `file -> target` for each import that crosses folders against ALLOWED. */
function crossings(files: string[], read: (file: string) => string): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const from = folderOf(file);
    if (!from) continue;
    for (const spec of importsOf(read(file))) {
      const to = folderOf(resolve(dirname(file), spec));
      if (!to || to === from) continue;
      if (!(ALLOWED[from] ?? []).includes(to))
        bad.push(`${relative(SRC, file)} -> ${spec} (${from} -> ${to})`);
    }
  }
  return bad;
}

describe('imports between src/ folders', () => {
  const files = sourceFiles(SRC);

  it('has a place in the layout for every folder of src/', () => {
    const folders = new Set(files.map((f) => folderOf(f)).filter((f) => f && !f.endsWith('.ts')));
    expect([...folders].filter((f) => !(f! in ALLOWED))).toEqual([]);
  });

  it('flow only in the directions the layout allows', () => {
    expect(crossings(files, (f) => readFileSync(f, 'utf8'))).toEqual([]);
  });

  it('catches an upward import, a type-only one and a lazy one', () => {
    const engineFile = join(SRC, 'engine', 'run-playbook.ts');
    const planted = [
      "import { VERSION } from '../cli/main.js';",
      "import type { Reporter } from '../ui/reporter.js';",
      "const m = await import('../lab/lab.js');",
      "export { x } from '../report/words.js';",
    ].join('\n');
    expect(crossings([engineFile], () => planted)).toHaveLength(4);
  });
});
