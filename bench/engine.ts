/**
 * The run engine on generated playbooks, real PowerShell, one warm local session:
 * - 200 steps (100 diagnose, 100 fix that test, apply and verify): total time, ms per step, peak
 *   memory, and heap/RSS growth from step 10 to step 200 (goal < 10 MB);
 * - the engine's own cost per step (events, journal, expressions, ranking) and with the protocol,
 *   on trivial diagnose steps against bare session.run calls in the same session (goal <= 2 ms).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Decider } from '../src/engine/decider.js';
import { runPlaybook } from '../src/engine/run-playbook.js';
import type { SessionProvider } from '../src/engine/session-provider.js';
import { createTargetSessions } from '../src/engine/target-sessions.js';
import { loadPlaybook } from '../src/playbook/load-playbook.js';
import type { BenchLine } from './run.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

const never: Decider = {
  decideFix: async () => 'apply',
  decideKeep: async () => true,
  decideStep: async () => 'run',
};

const DIAGNOSE = `[CmdletBinding(SupportsShouldProcess)] param([string] $Name)
[pscustomobject]@{ findings = @([pscustomobject]@{ cause = 'none'; confidence = 0.0; evidence = "$Name looked" }) }`;
const TEST = `[CmdletBinding(SupportsShouldProcess)] param([string] $Path)
$present = [System.IO.File]::Exists($Path)
[pscustomobject]@{ compliant = $present; state = [pscustomobject]@{ present = $present } }`;
const APPLY = `[CmdletBinding(SupportsShouldProcess)] param([string] $Path)
if ($PSCmdlet.ShouldProcess($Path, 'create')) { [System.IO.File]::WriteAllText($Path, 'x') }
[pscustomobject]@{ changed = $true; before = [pscustomobject]@{ present = $false }; after = [pscustomobject]@{ present = $true } }`;
const UNDO = `[CmdletBinding(SupportsShouldProcess)] param([string] $Path, $Before)
[System.IO.File]::Delete($Path)
[pscustomobject]@{ restored = $true }`;

function writePlaybook(dir: string, diagnose: number, fix: number): string {
  for (const [name, text] of Object.entries({ diag: DIAGNOSE, test: TEST, apply: APPLY, undo: UNDO }))
    writeFileSync(join(dir, `${name}.ps1`), text);
  const steps: string[] = [];
  for (let i = 0; i < diagnose; i++)
    steps.push(
      `  - { id: d${i}, title: Diagnose ${i}, kind: diagnose, on: client, script: diag.ps1, with: { Name: "d${i}" } }`,
    );
  for (let i = 0; i < fix; i++)
    steps.push(
      `  - { id: f${i}, title: Fix ${i}, kind: fix, on: client, test: test.ps1, apply: apply.ps1, undo: undo.ps1, risk: low, with: { Path: "${join(dir, `f${i}.flag`)}" } }`,
    );
  const file = join(dir, `bench-${diagnose}-${fix}.yaml`);
  writeFileSync(
    file,
    `apiVersion: psremedy/v1\nname: bench\ntitle: Generated benchmark playbook\ncauses: [{ id: none, title: Nothing }]\nsteps:\n${steps.join('\n')}\n`,
  );
  return file;
}

async function runBench(
  file: string,
  sessions: SessionProvider,
  stateDir: string,
  onStepEnd?: (n: number) => void,
) {
  const playbook = await loadPlaybook(file);
  let ended = 0;
  const started = performance.now();
  const result = await runPlaybook({
    playbook,
    params: {},
    sessions,
    targets: { client: { kind: 'local' }, target: { kind: 'local' } },
    stateDir,
    decider: never,
    onEvent: (e) => {
      if (e.type === 'step.end' && e.phase !== 'recheck') onStepEnd?.(++ended);
    },
    mode: { interactive: false, yes: true },
    psremedyVersion: 'bench',
  });
  return { ms: performance.now() - started, outcome: result.outcome, steps: playbook.doc.steps.length };
}

/** The engine benchmark lines. */
export default async function benchEngine(): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-bench-engine-'));
  const sessions = createTargetSessions({ client: { kind: 'local' }, target: { kind: 'local' } });
  try {
    const session = await sessions.get('client');
    // Warm up PowerShell, the scripts and the engine's code paths.
    await runBench(writePlaybook(dir, 10, 5), sessions, join(dir, 'warm'));

    const file200 = writePlaybook(dir, 100, 100);
    const samples = new Map<number, { heap: number; rss: number }>();
    let peakRss = 0;
    gc();
    const big = await runBench(file200, sessions, join(dir, 'state200'), (n) => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      if (n === 10 || n === 200) {
        gc();
        const after = process.memoryUsage();
        samples.set(n, { heap: after.heapUsed, rss: after.rss });
      }
    });
    const at10 = samples.get(10);
    const at200 = samples.get(200);

    // Engine overhead: trivial diagnose steps through the engine vs the same calls on the bare session.
    const trivial = writePlaybook(dir, 200, 0);
    const engineRun = await runBench(trivial, sessions, join(dir, 'trivial'));
    let insideMs = 0;
    const bareStart = performance.now();
    for (let i = 0; i < 200; i++) {
      const outcome = await session.run({ script: DIAGNOSE, params: { Name: `d${i}` }, timeoutMs: 60_000 });
      insideMs += outcome.durationMs;
    }
    const bareMs = performance.now() - bareStart;
    const enginePerStep = engineRun.ms / 200;
    const barePerStep = bareMs / 200;
    const insidePerStep = insideMs / 200;
    return [
      { name: '200-step playbook (100 diagnose, 100 fix) total', value: big.ms, unit: 'ms' },
      { name: '200-step playbook per step', value: big.ms / big.steps, unit: 'ms' },
      { name: '200-step playbook peak RSS', value: peakRss / MB, unit: 'MB' },
      {
        name: 'heap growth step 10 -> 200 (goal < 10 MB)',
        value: ((at200?.heap ?? 0) - (at10?.heap ?? 0)) / MB,
        unit: 'MB',
      },
      {
        name: 'RSS growth step 10 -> 200 (goal < 10 MB)',
        value: ((at200?.rss ?? 0) - (at10?.rss ?? 0)) / MB,
        unit: 'MB',
      },
      {
        name: 'trivial diagnose step through the engine',
        value: enginePerStep,
        unit: 'ms',
        baselineName: 'bare session.run',
        baselineValue: barePerStep,
      },
      {
        name: 'engine + journal overhead per step (goal <= 2 ms)',
        value: enginePerStep - barePerStep,
        unit: 'ms',
      },
      {
        name: 'engine + protocol + journal overhead per step (wall - time inside PowerShell; goal <= 2 ms)',
        value: enginePerStep - insidePerStep,
        unit: 'ms',
      },
    ];
  } finally {
    await sessions.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
