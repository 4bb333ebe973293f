/**
 * The flagship's diagnosis on every shipped scenario (or those in BENCH_SCENARIOS, comma-separated),
 * in the lab with the playbook's defaults (a 5 s connect timeout), each on a fresh lab host:
 * - main: the playbook as main ships it, its diagnose steps one by one (how every run diagnosed
 *   before steps declared needs);
 * - now: this playbook, steps started as their needs allow.
 * Figures: diagnosis wall time (first diagnose step started -> causes ranked) against the slowest
 * single step of the same run (goal <= 1.25x); run start -> ranking against main's (goal <= 0.45x
 * on firewall and adapter scenarios); and how long after the run started the first server step did.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../src/engine/events.js';
import { runPlaybook } from '../src/engine/run-playbook.js';
import { createTargetSessions } from '../src/engine/target-sessions.js';
import { startLab } from '../src/lab/lab.js';
import { SCENARIO_DIR } from '../src/lab/lab-paths.js';
import { type LoadedPlaybook, loadPlaybook } from '../src/playbook/load-playbook.js';
import { resolveParams } from '../src/playbook/resolve-params.js';
import type { TargetSpec } from '../src/powershell/types.js';
import { findScenarioFiles } from '../src/scenario-test/find-scenario-files.js';
import { neverAskDecider } from '../src/scenario-test/never-ask-decider.js';
import type { BenchLine } from './run.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What one diagnosis took. */
interface DiagnosisTimes {
  /** First diagnose step started -> causes ranked. */
  wallMs: number;
  /** Run started -> causes ranked (the sessions' start-up included). */
  fromRunStartMs: number;
  slowestMs: number;
  sumMs: number;
  firstServerStepMs: number;
}

export default async function benchDiagnosis(): Promise<BenchLine[]> {
  const current = await loadPlaybook(join(root, 'playbooks/rdp-0x904.yaml'));
  const mainDir = mkdtempSync(join(tmpdir(), 'psremedy-bench-main-'));
  const main = await loadMainPlaybook(mainDir);
  const wanted = (process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean);
  const files = (await findScenarioFiles([SCENARIO_DIR])).filter(
    (f) => wanted.length === 0 || wanted.some((w) => f.endsWith(`/${w}.yaml`)),
  );
  const lines: BenchLine[] = [];
  try {
    for (const file of files) {
      const name = file.slice(SCENARIO_DIR.length + 1, -'.yaml'.length);
      const before = main ? await diagnose(main, file, true) : undefined;
      const after = await diagnose(current, file, false);
      const goalVsMain = /^(firewall|adapter)/.test(name) ? 0.45 : undefined;
      lines.push({
        name: `${name}: diagnosis`,
        value: after.wallMs,
        unit: 'ms',
        baselineName: 'its slowest step',
        baselineValue: after.slowestMs,
        goalRatio: 1.25,
      });
      if (before)
        lines.push({
          name: `${name}: run start to ranking`,
          value: after.fromRunStartMs,
          unit: 'ms',
          baselineName: 'main, one by one',
          baselineValue: before.fromRunStartMs,
          ...(goalVsMain ? { goalRatio: goalVsMain } : {}),
        });
      lines.push({
        name: `${name}: first server step starts after`,
        value: after.firstServerStepMs,
        unit: 'ms',
        ...(before ? { baselineName: 'main', baselineValue: before.firstServerStepMs } : {}),
      });
    }
  } finally {
    rmSync(mainDir, { recursive: true, force: true });
  }
  return lines;
}

/** main's rdp-0x904.yaml next to this tree's scripts (its scripts take the same params), or none. */
async function loadMainPlaybook(dir: string): Promise<LoadedPlaybook | undefined> {
  let text: string;
  try {
    text = execFileSync('git', ['-C', root, 'show', 'main:playbooks/rdp-0x904.yaml'], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  mkdirSync(join(dir, 'playbooks'));
  symlinkSync(join(root, 'ps-scripts'), join(dir, 'ps-scripts'));
  writeFileSync(join(dir, 'playbooks/rdp-0x904.yaml'), text);
  return loadPlaybook(join(dir, 'playbooks/rdp-0x904.yaml'));
}

async function diagnose(
  playbook: LoadedPlaybook,
  scenario: string,
  sequential: boolean,
): Promise<DiagnosisTimes> {
  const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-bench-diagnosis-'));
  const lab = await startLab(scenario, { stateDir: join(stateDir, 'lab') });
  const host = lab.hosts[0];
  if (!host) throw new Error(`${scenario} starts no host`);
  const targets = { client: { kind: 'local' } as TargetSpec, target: host.target };
  const sessions = createTargetSessions(targets, lab.localSessionOptions);
  const at = new Map<string, number>();
  const durations: number[] = [];
  let runStart = 0;
  let firstStart: number | undefined;
  let firstServer: number | undefined;
  let ranked = 0;
  const onStep = new Set(playbook.doc.steps.filter((s) => s.on === 'target').map((s) => s.id));
  const onEvent = (e: EngineEvent) => {
    const now = performance.now();
    if (e.type === 'run.start') runStart = now;
    if (e.type === 'step.start' && e.phase === 'diagnose') {
      firstStart ??= now;
      if (onStep.has(e.stepId)) firstServer ??= now;
      at.set(e.stepId, now);
    }
    if (e.type === 'step.end' && e.phase === 'diagnose') durations.push(now - (at.get(e.stepId) ?? now));
    if (e.type === 'causes.ranked' && ranked === 0) ranked = now;
  };
  try {
    const params = await resolveParams(playbook, { ComputerName: host.name });
    await runPlaybook({
      playbook,
      params,
      sessions,
      targets,
      stateDir: join(stateDir, 'runs'),
      decider: neverAskDecider,
      psremedyVersion: 'bench',
      onEvent,
      mode: { interactive: false, check: true, sequential },
      selection: { only: playbook.doc.steps.filter((s) => s.kind === 'diagnose').map((s) => s.id) },
    });
  } finally {
    await sessions.close();
    await lab.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return {
    wallMs: ranked - (firstStart ?? ranked),
    fromRunStartMs: ranked - runStart,
    slowestMs: Math.max(...durations),
    sumMs: durations.reduce((a, b) => a + b, 0),
    firstServerStepMs: (firstServer ?? runStart) - runStart,
  };
}
