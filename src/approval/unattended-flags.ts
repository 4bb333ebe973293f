import { ApprovalError, UsageError } from '../core/errors.js';
import { parseParamAssignments } from '../playbook/index.js';
import { soleExpression } from '../playbook/template-text.js';
import type { TargetSpec } from '../powershell/types.js';
import { prepareUnattendedRun, type UnattendedRun } from './unattended.js';

/** The `psremedy run` flags an unattended run reads. */
export interface UnattendedRunFlags {
  approval?: string;
  trust?: string;
  param: string[];
  paramsFile?: string;
  target?: string;
  lab?: string;
  step?: boolean;
}

/** The name of the param a `host: "${{ params.X }}"` target names (what --lab fills). */
function hostParamOf(host: string | undefined): string | undefined {
  const sole = host === undefined ? undefined : soleExpression(host);
  return sole ? /^\s*params\.([A-Za-z][A-Za-z0-9_]*)\s*$/.exec(sole.expression)?.[1] : undefined;
}

/** A lab scenario's host name, read from the scenario without starting anything. */
async function labHostNameOf(scenario: string): Promise<string> {
  const { loadScenario } = await import('../lab/scenario/scenario-loader.js');
  return (await loadScenario(scenario)).state.hostName;
}

/**
 * `psremedy run --unattended`: checks the flags, then verifies the approval against the params
 * and the target the run will use (for `--lab`, the scenario's host), all before any PowerShell
 * starts. The run must use the returned playbook, params and policy.
 */
export async function prepareUnattendedRunFromFlags(
  file: string,
  flags: UnattendedRunFlags,
): Promise<UnattendedRun> {
  if (!flags.approval || !flags.trust)
    throw new UsageError('--unattended needs --approval <file> and --trust <key.pub|folder>');
  if (flags.step) throw new UsageError('--step asks before every step; an unattended run never asks');
  if (flags.lab && flags.target) throw new UsageError('--lab and --target both name a target; use one');
  const raw = parseParamAssignments(flags.param);
  let targets: string[] | undefined = flags.target === undefined ? undefined : [flags.target];
  if (flags.lab) {
    const host = await labHostNameOf(flags.lab);
    targets = [host];
    const { loadPlaybook } = await import('../playbook/index.js');
    const hostParam = hostParamOf((await loadPlaybook(file)).doc.target?.host);
    if (hostParam && !(hostParam in raw)) raw[hostParam] = host;
  }
  return prepareUnattendedRun({
    playbookFile: file,
    approvalFile: flags.approval,
    trust: flags.trust,
    params: raw,
    ...(flags.paramsFile ? { paramsFile: flags.paramsFile } : {}),
    ...(targets ? { targets } : {}),
  });
}

/** Refuses (`target-not-allowed`) when the target the run resolved is not the one verified. */
export function checkResolvedTarget(run: UnattendedRun, target: TargetSpec, hasTargetSteps: boolean): void {
  if (!hasTargetSteps) return;
  const host =
    target.kind === 'local' ? 'local' : target.kind === 'ssh' ? target.hostName : target.computerName;
  if (run.targets.some((t) => t.toLowerCase() === host.toLowerCase())) return;
  throw new ApprovalError(
    `the run resolved its target to ${host}, not the verified ${run.targets.join(', ') || '(none)'}`,
    'target-not-allowed',
    { target: host },
  );
}
