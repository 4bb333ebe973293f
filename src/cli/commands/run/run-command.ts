/** `psremedy run`: flags -> playbook, params, target (or lab), sessions, UI -> runPlaybook. */

import { checkResolvedTarget, prepareUnattendedRunFromFlags } from '../../../approval/unattended-flags.js';
import { UsageError } from '../../../core/errors.js';
import { VERSION } from '../../../core/version.js';
import type { RunOutcome } from '../../../engine/journal-records.js';
import { secretsOfRun } from '../../../engine/mask-secrets.js';
import { refuseWithoutConsent, runPlaybook } from '../../../engine/run-playbook.js';
import type { RunPolicy } from '../../../engine/run-policy.js';
import { resolveStateDir } from '../../../engine/run-store.js';
import { selectSteps } from '../../../engine/select-steps.js';
import { parseDuration } from '../../../playbook/duration.js';
import { loadPlaybook } from '../../../playbook/load-playbook.js';
import { parseParamAssignments, resolveParams } from '../../../playbook/resolve-params.js';
import { hostParamOf } from '../../../playbook/target-host.js';
import { findPowerShell } from '../../../powershell/find-powershell.js';
import type { TargetSpec } from '../../../powershell/types.js';
import { createRunTracker } from '../../../ui/run-tracker.js';
import { handleInterrupts } from './interrupt.js';
import { withRunSession } from './run-session.js';
import { type RunLab, resolveTarget, startRunLab, type TargetFlags } from './run-targets.js';
import { isInteractive } from './run-ui.js';

/** The flags of `psremedy run`. */
export interface RunFlags extends TargetFlags {
  check?: boolean;
  diff?: boolean;
  yes?: boolean;
  step?: boolean;
  startAt?: string;
  only?: string[];
  skip?: string[];
  param: string[];
  paramsFile?: string;
  /** commander's `--no-rollback` sets this false. */
  rollback: boolean;
  lab?: string;
  output: string;
  stateDir?: string;
  timeout?: string;
  /** How long opening the target's session may take (`--connect-timeout`). */
  connectTimeout?: string;
  verbose?: boolean;
  /** Unattended runs (src/approval): `--unattended --approval F --trust K`. */
  unattended?: boolean;
  approval?: string;
  trust?: string;
}

/** Where the command writes words that are not events. */
export interface CommandIo {
  err(text: string): void;
}

/**
 * Runs a playbook from the command line and returns how the run ended. `policy` is the hook for
 * unattended runs (src/approval): fix steps outside it are skipped as "not approved", never asked.
 */
export async function runCommand(
  file: string,
  flags: RunFlags,
  io: CommandIo,
  extras: { policy?: RunPolicy } = {},
): Promise<RunOutcome> {
  const output = checkOutput(flags.output);
  if (flags.verbose) process.env.PSREMEDY_VERBOSE = '1';
  const defaultTimeoutMs = flags.timeout === undefined ? undefined : parseTimeout(flags.timeout);
  const connectTimeoutMs =
    flags.connectTimeout === undefined ? undefined : parseTimeout(flags.connectTimeout, '--connect-timeout');
  // Unattended: verify the approval before anything starts; run its verified playbook and params.
  const unattended = flags.unattended ? await prepareUnattendedRunFromFlags(file, flags) : undefined;
  if (!unattended && (flags.approval || flags.trust))
    throw new UsageError('--approval and --trust need --unattended');
  const playbook = unattended?.playbook ?? (await loadPlaybook(file));
  for (const w of playbook.warnings) io.err(`${w.file}:${w.line}:${w.col}: warning: ${w.message}`);
  const rawParams = parseParamAssignments(flags.param);
  const stateDir = resolveStateDir(flags.stateDir);
  const interactive = unattended ? false : isInteractive();
  const mode = {
    interactive,
    check: flags.check === true,
    diff: flags.diff === true,
    yes: flags.yes === true,
    step: flags.step === true,
    noRollback: flags.rollback === false,
    ...(defaultTimeoutMs ? { defaultTimeoutMs } : {}),
  };
  const selection = {
    ...(flags.only?.length ? { only: flags.only } : {}),
    ...(flags.skip?.length ? { skip: flags.skip } : {}),
    ...(flags.startAt ? { startAt: flags.startAt } : {}),
  };
  refuseWithoutConsent(playbook, mode, selectSteps(playbook.doc, selection), unattended !== undefined);
  // Find (or build) PowerShell before anything starts, so a missing engine is said once, with the fix.
  await findPowerShell();

  let lab: RunLab | undefined;
  const controller = new AbortController();
  const tracker = createRunTracker({ keepsChanges: mode.noRollback });
  const interrupts = handleInterrupts(controller, io.err, tracker.describeInterrupt);
  try {
    if (flags.lab) {
      if (flags.target) throw new UsageError('--lab and --target both name a target; use one');
      lab = await startRunLab(flags.lab, stateDir);
      const started = lab;
      interrupts.onHangup(() => started.stop());
      io.err(`lab ${lab.scenario}: host ${lab.hostName}, state ${lab.statePaths.join(', ')}`);
      const hostParam = hostParamOf(playbook.doc.target?.host);
      if (hostParam && !(hostParam in rawParams)) rawParams[hostParam] = lab.hostName;
    }
    const params = unattended?.params ?? (await resolveParams(playbook, rawParams, flags.paramsFile));
    const target: TargetSpec = lab ? lab.target : resolveTarget(flags, playbook, params);
    if (unattended)
      checkResolvedTarget(
        unattended,
        target,
        playbook.doc.steps.some((s) => s.on === 'target'),
      );
    const targets = { client: { kind: 'local' } as TargetSpec, target };
    const runSession = {
      targets,
      sessionOptions: {
        ...(lab?.sessionOptions ?? {}),
        ...(connectTimeoutMs ? { connectTimeoutMs } : {}),
        secrets: secretsOfRun(playbook.doc.params, params, []),
      },
      output,
      verbose: flags.verbose === true,
      onInterrupt: interrupts.interrupt,
      tracker,
      err: io.err,
    };
    const result = await withRunSession(runSession, ({ ui, sessions, onEvent }) =>
      runPlaybook({
        playbook,
        params,
        sessions,
        targets,
        stateDir,
        decider: ui.decider,
        onEvent,
        mode,
        selection,
        ...(extras.policy ? { policy: extras.policy } : {}),
        signal: controller.signal,
        psremedyVersion: VERSION,
        ...(unattended ? { policy: unattended.policy } : {}),
        ...(lab ? { lab: { scenario: lab.scenario, statePaths: lab.statePaths } } : {}),
      }),
    );
    if (lab) io.err(`lab state after the run: ${lab.statePaths.join(', ')}`);
    return result.outcome;
  } finally {
    interrupts.dispose();
    await lab?.stop();
  }
}

function checkOutput(output: string): 'text' | 'ndjson' {
  if (output === 'text' || output === 'ndjson') return output;
  throw new UsageError(`--output ${output} is not one of: text, ndjson`);
}

/** A duration flag's value in ms (a bare number is seconds), or a UsageError naming the flag. */
export function parseTimeout(text: string, flag = '--timeout'): number {
  try {
    return parseDuration(/^\d+(\.\d+)?$/.test(text) ? Number(text) : text);
  } catch {
    throw new UsageError(`${flag} ${text} is not a duration (use 500ms, 20s, 2m)`);
  }
}
