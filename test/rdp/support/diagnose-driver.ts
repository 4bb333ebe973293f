/**
 * Runs the diagnose steps of a shipped playbook against a lab scenario the way the engine's
 * diagnose phase does: in order, `with:` evaluated by the playbook's own expressions, client
 * steps in a client session and target steps in a session with the lab module, then the
 * engine's cause ranking. (The full run with fixes is `psremedy test`.)
 */
import { join } from 'node:path';
import type { Finding } from '../../../src/core/step-status.js';
import type { RankedCause } from '../../../src/engine/journal-records.js';
import { rankCauses } from '../../../src/engine/rank-causes.js';
import { startLab } from '../../../src/lab/lab.js';
import {
  type ExpressionContext,
  evaluateTemplate,
  type LoadedPlaybook,
  loadPlaybook,
} from '../../../src/playbook/index.js';
import { openScriptSession, repoRoot, type ScriptSession } from './script-session.js';

/** What the diagnose phase found for one scenario. */
export interface Diagnosis {
  ranked: RankedCause[];
  steps: ExpressionContext['steps'];
  /** Step id -> PowerShell's message, for steps that did not succeed. */
  failures: Record<string, string>;
}

/** A client and a target session that follow one lab host at a time. */
export interface ScenarioRunner {
  diagnose(scenario: string, params?: Record<string, unknown>): Promise<Diagnosis>;
  close(): Promise<void>;
}

/** Opens the two sessions for `playbook` (a file name in playbooks/). */
export async function openScenarioRunner(playbook: string): Promise<ScenarioRunner> {
  const loaded = await loadPlaybook(join(repoRoot, 'playbooks', playbook));
  const target = await openScriptSession({ lab: true });
  const client = await openScriptSession({ lab: true, client: true });
  return {
    diagnose: (scenario, params = {}) => diagnoseScenario(loaded, scenario, params, client, target),
    close: async () => {
      await Promise.all([client.close(), target.close()]);
    },
  };
}

async function diagnoseScenario(
  loaded: LoadedPlaybook,
  scenario: string,
  overrides: Record<string, unknown>,
  client: ScriptSession,
  target: ScriptSession,
): Promise<Diagnosis> {
  const lab = await startLab(scenario, { powershell: false });
  try {
    const host = lab.hosts[0];
    if (!host) throw new Error(`scenario ${scenario} has no host`);
    await target.useState(host.statePath);
    await client.useState(lab.clientStatePath);
    const params: Record<string, unknown> = { ComputerName: `${host.name}.corp.example`, ...overrides };
    for (const [name, doc] of Object.entries(loaded.doc.params)) {
      if (!(name in params) && doc.default !== undefined) params[name] = doc.default;
    }
    const ctx: ExpressionContext = { params, steps: {}, causes: {} };
    const findingsByStep = new Map<string, Finding[]>();
    const failures: Record<string, string> = {};
    for (const step of loaded.doc.steps) {
      if (step.kind !== 'diagnose') continue;
      const values = evaluateTemplate(step.with ?? {}, ctx) as Record<string, unknown>;
      const session = step.on === 'client' ? client : target;
      const outcome = await session.runPath(loaded.scriptPath(step, 'script'), values);
      const result = (outcome.result ?? null) as { findings?: Finding[] } | null;
      const findings = outcome.status === 'ok' ? (result?.findings ?? []) : [];
      if (outcome.status !== 'ok') failures[step.id] = outcome.error?.message ?? outcome.status;
      ctx.steps[step.id] = { status: outcome.status === 'ok' ? 'ok' : 'failed', result, findings };
      findingsByStep.set(step.id, findings);
    }
    return { ranked: rankCauses(findingsByStep, loaded.doc.causes), steps: ctx.steps, failures };
  } finally {
    await lab.stop();
  }
}
