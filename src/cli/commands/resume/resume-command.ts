/** `psremedy resume <runId>`: the same playbook, params and target as the journal says, from where it stopped. */

import { VERSION } from '../../../core/version.js';
import type { RunOutcome } from '../../../engine/journal-records.js';
import { secretsOfRun } from '../../../engine/mask-secrets.js';
import { checkSamePlaybook, readRunToResume } from '../../../engine/resume-run.js';
import { runPlaybook } from '../../../engine/run-playbook.js';
import { findPendingChanges, resolveStateDir } from '../../../engine/run-store.js';
import { loadPlaybook } from '../../../playbook/load-playbook.js';
import { parseParamAssignments, resolveParams } from '../../../playbook/resolve-params.js';
import type { TargetSpec } from '../../../powershell/types.js';
import { describeSealedTail } from '../../../ui/journal-notice.js';
import { createRunTracker } from '../../../ui/run-tracker.js';
import { handleInterrupts } from '../run/interrupt.js';
import { withRunSession } from '../run/run-session.js';
import { reattachLab } from '../run/run-targets.js';
import { isInteractive } from '../run/run-ui.js';

/** The flags of `psremedy resume`. */
export interface ResumeFlags {
  yes?: boolean;
  param: string[];
  output: string;
  stateDir?: string;
  verbose?: boolean;
}

/** Continues a run and returns how it ended. */
export async function resumeCommand(
  runId: string,
  flags: ResumeFlags,
  io: { err(text: string): void },
): Promise<RunOutcome> {
  const stateDir = resolveStateDir(flags.stateDir);
  const journaled = readRunToResume(stateDir, runId);
  if (journaled.sealed) io.err(describeSealedTail(journaled.sealed));
  const { start } = journaled;
  const playbook = await loadPlaybook(start.playbook.file);
  checkSamePlaybook(journaled, playbook, stateDir);
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(start.params)) raw[k] = String(v);
  const params = await resolveParams(playbook, { ...raw, ...parseParamAssignments(flags.param) });
  const targets = { client: start.targets.client as TargetSpec, target: start.targets.target as TargetSpec };
  const labOptions = start.lab ? await reattachLab(start.lab.statePaths) : {};
  // The resumed checks probe the lab host's RDP listener, as the run did.
  const listeners = start.lab
    ? await (await import('../../../lab/reopen-lab.js')).reopenLabListeners(
        start.lab.scenario,
        start.lab.statePaths,
      )
    : undefined;
  const controller = new AbortController();
  const tracker = createRunTracker({
    keepsChanges: start.options.noRollback,
    inPlace: findPendingChanges(journaled.records),
  });
  const interrupts = handleInterrupts(controller, io.err, tracker.describeInterrupt);
  try {
    const o = start.options;
    const runSession = {
      targets,
      sessionOptions: { ...labOptions, secrets: secretsOfRun(playbook.doc.params, params, []) },
      output: flags.output === 'ndjson' ? ('ndjson' as const) : ('text' as const),
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
        mode: {
          interactive: isInteractive(),
          check: o.check,
          yes: o.yes || flags.yes === true,
          step: o.step,
          noRollback: o.noRollback,
        },
        selection: {
          ...(o.only ? { only: o.only } : {}),
          ...(o.skip ? { skip: o.skip } : {}),
          ...(o.startAt ? { startAt: o.startAt } : {}),
        },
        signal: controller.signal,
        psremedyVersion: VERSION,
        resume: { runId, records: journaled.records },
        ...(start.lab ? { lab: start.lab } : {}),
      }),
    );
    return result.outcome;
  } finally {
    interrupts.dispose();
    await listeners?.stop();
  }
}
