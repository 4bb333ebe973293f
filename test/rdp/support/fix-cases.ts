/**
 * The fix round trips the flagship playbook implies, so no test keeps a list of them: one per fix
 * step and cause it `fixes:`, in that cause's one-cause scenario (lab/scenarios/<cause>.yaml), with
 * the step's scripts and its `with:` evaluated as a run in that scenario would see it: params at
 * their defaults, the scenario's expected causes detected (lab/scenarios/*.yaml `expectedCauses`,
 * which test/scenarios holds every run to), the results of the target's diagnose steps it reads
 * (run in the scenario's state, since they need only the host), and client steps not run (their
 * results need the network path).
 */
import { basename } from 'node:path';
import { loadScenario } from '../../../src/lab/scenario/scenario-loader.js';
import { evaluateTemplate } from '../../../src/playbook/expressions.js';
import type { LoadedPlaybook } from '../../../src/playbook/load-playbook.js';
import { loadPlaybook } from '../../../src/playbook/load-playbook.js';
import type { FixStepDoc } from '../../../src/playbook/schema.js';
import { repoRoot } from './script-session.js';

export const FLAGSHIP = `${repoRoot}playbooks/rdp-0x904.yaml`;

/** One round trip a fix step must pass. */
export interface DerivedFix {
  stepId: string;
  cause: string;
  /** The one-cause scenario: named after the cause. */
  scenario: string;
  scripts: { test: string; apply: string; undo: string };
  /** Evaluates the step's `with:`; `runDiagnose` runs a target diagnose step's script in the state. */
  params(
    runDiagnose: (script: string, params: Record<string, unknown>) => Promise<unknown>,
  ): Promise<Record<string, unknown>>;
}

const nameOf = (path: string) => basename(path, '.ps1');

/** Every (fix step, cause) of the playbook, with its scripts and how to get its params. */
export async function deriveFixCases(file = FLAGSHIP): Promise<DerivedFix[]> {
  const playbook = await loadPlaybook(file);
  const fixes = playbook.doc.steps.filter((s): s is FixStepDoc => s.kind === 'fix');
  return fixes.flatMap((step) =>
    step.fixes.map((cause) => ({
      stepId: step.id,
      cause,
      scenario: cause,
      scripts: {
        test: nameOf(playbook.scriptPath(step, 'test')),
        apply: nameOf(playbook.scriptPath(step, 'apply')),
        undo: nameOf(playbook.scriptPath(step, 'undo')),
      },
      params: async (runDiagnose) =>
        evaluateWith(playbook, step, (await loadScenario(cause)).scenario.expectedCauses, runDiagnose),
    })),
  );
}

async function evaluateWith(
  playbook: LoadedPlaybook,
  step: FixStepDoc,
  detected: string[],
  runDiagnose: (script: string, params: Record<string, unknown>) => Promise<unknown>,
): Promise<Record<string, unknown>> {
  const params = Object.fromEntries(
    Object.entries(playbook.doc.params).map(([k, p]) => [k, p.default ?? '']),
  );
  const steps: Record<string, { status: string; result: unknown; findings: unknown[] }> = {};
  for (const s of playbook.doc.steps) steps[s.id] = { status: 'skipped', result: null, findings: [] };
  const causes: Record<string, { detected: boolean; confidence: number }> = {};
  for (const c of playbook.doc.causes)
    causes[c.id] = detected.includes(c.id)
      ? { detected: true, confidence: 1 }
      : { detected: false, confidence: 0 };
  const withText = JSON.stringify(step.with ?? {});
  for (const s of playbook.doc.steps) {
    if (s.kind !== 'diagnose' || s.on !== 'target' || !withText.includes(`steps.${s.id}.`)) continue;
    const context = { params, steps, causes };
    const result = (await runDiagnose(
      playbook.scriptPath(s, 'script'),
      evaluateTemplate(s.with ?? {}, context) as Record<string, unknown>,
    )) as { findings?: unknown[] };
    steps[s.id] = { status: 'ok', result, findings: result.findings ?? [] };
  }
  return evaluateTemplate(step.with ?? {}, { params, steps, causes }) as Record<string, unknown>;
}
