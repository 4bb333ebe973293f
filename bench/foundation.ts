// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is playbook expression syntax, not a JS template
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlaybook } from '../src/playbook/index.js';
import type { BenchLine } from './run.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/psremedy.js');

/** Cold start of `psremedy --help` against bare Node, and validate on a generated 200-step playbook. */
export default async function benchFoundation(): Promise<BenchLine[]> {
  if (!existsSync(join(root, 'dist/cli/main.js')))
    spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
      },
    );
  const tmp = mkdtempSync(join(tmpdir(), 'psremedy-bench-'));
  try {
    const playbook = writeLargePlaybook(tmp, 200);
    const nodeTimes: number[] = [];
    const helpTimes: number[] = [];
    // Interleaved so both see the same machine load.
    for (let i = 0; i < 20; i++) {
      nodeTimes.push(timeRun(['-e', '0']));
      helpTimes.push(timeRun([bin, '--help']));
    }
    const validateTimes: number[] = [];
    const validateNoParseTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      validateTimes.push(timeRun([bin, 'validate', playbook]));
      validateNoParseTimes.push(timeRun([bin, 'validate', '--no-parse-scripts', playbook]));
    }
    const loadTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      await loadPlaybook(playbook);
      loadTimes.push(performance.now() - started);
    }
    const node = median(nodeTimes);
    return [
      { name: 'node -e 0 (median of 20)', value: node, unit: 'ms' },
      {
        name: 'psremedy --help (median of 20)',
        value: median(helpTimes),
        unit: 'ms',
        baselineName: 'node -e 0',
        baselineValue: node,
        goalRatio: 1.5,
      },
      {
        name: 'psremedy validate --no-parse-scripts, 200-step playbook (median of 10)',
        value: median(validateNoParseTimes),
        unit: 'ms',
        baselineName: 'node -e 0',
        baselineValue: node,
      },
      {
        name: 'psremedy validate (PowerShell parses its 50 scripts), 200-step playbook (median of 10)',
        value: median(validateTimes),
        unit: 'ms',
        baselineName: 'node -e 0',
        baselineValue: node,
      },
      {
        name: 'loadPlaybook, 200 steps in-process, warm (median of 10)',
        value: median(loadTimes),
        unit: 'ms',
      },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function timeRun(args: string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A valid playbook of `count` steps (half diagnose, half fix) over 50 distinct scripts, with expressions. */
export function writeLargePlaybook(dir: string, count: number): string {
  mkdirSync(join(dir, 'scripts'));
  for (let i = 0; i < 50; i++)
    writeFileSync(
      join(dir, `scripts/Test-Thing${i}.ps1`),
      `[CmdletBinding()]\nparam()\n[pscustomobject]@{ n = ${i} }\n`,
    );
  const lines = [
    'apiVersion: psremedy/v1',
    'name: large',
    'title: A generated playbook',
    'params:',
    '  ComputerName: { type: string, default: srv01 }',
    '  Port: { type: int, default: 3389 }',
    'causes:',
  ];
  for (let i = 0; i < 20; i++) lines.push(`  - id: cause-${i}`, `    title: Cause ${i}`);
  lines.push('steps:');
  for (let i = 0; i < count; i++) {
    const script = `scripts/Test-Thing${i % 50}.ps1`;
    lines.push(`  - id: s${i}`, `    title: Step ${i}`);
    if (i % 2 === 0) {
      lines.push('    kind: diagnose', `    script: ${script}`);
    } else {
      lines.push(
        '    kind: fix',
        `    fixes: [cause-${i % 20}]`,
        `    when: causes["cause-${i % 20}"].detected && steps.s${i - 1}.status == "ok"`,
        `    test: ${script}`,
        `    apply: ${script}`,
        `    undo: ${script}`,
        '    risk: low',
      );
    }
    lines.push(
      '    with:',
      '      ComputerName: ${{ params.ComputerName }}',
      '      Label: "port ${{ params.Port + 1 }} on ${{ params.ComputerName }}"',
    );
  }
  const file = join(dir, 'large.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
