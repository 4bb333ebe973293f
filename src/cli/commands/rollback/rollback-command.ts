/** `psremedy rollback <runId>`: sessions for the journaled target, then the engine's rollbackRun. */
import { secretValuesOf } from '../../../engine/mask-secrets.js';
import { readRun, rollbackRun } from '../../../engine/rollback-run.js';
import { resolveStateDir } from '../../../engine/run-store.js';
import { parseParamAssignments } from '../../../playbook/resolve-params.js';
import type { TargetSpec } from '../../../powershell/types.js';
import { describeSealedTail } from '../../../ui/journal-notice.js';
import { openRunSessions, reattachLab } from '../run/run-targets.js';
import { createRunUi } from '../run/run-ui.js';

/** The flags of `psremedy rollback`. */
export interface RollbackFlags {
  param: string[];
  output: string;
  stateDir?: string;
  verbose?: boolean;
}

/** Undoes a run from its journal; returns the worst undo status, or `nothing` when nothing was left. */
export async function rollbackCommand(
  runId: string,
  flags: RollbackFlags,
  io: { out(text: string): void; err(text: string): void },
): ReturnType<typeof rollbackRun> {
  const stateDir = resolveStateDir(flags.stateDir);
  const { start, sealed } = readRun(stateDir, runId);
  if (sealed) io.err(describeSealedTail(sealed));
  const targets = { client: start.targets.client as TargetSpec, target: start.targets.target as TargetSpec };
  const labOptions = start.lab ? await reattachLab(start.lab.statePaths) : {};
  const secretParams = parseParamAssignments(flags.param);
  const sessions = openRunSessions(targets, {
    ...labOptions,
    secrets: secretValuesOf(secretParams, start.secretParams),
    ...(flags.verbose
      ? { onDiagnostics: (text: string, where: string) => io.err(`[${where}] ${text.trimEnd()}`) }
      : {}),
  });
  const ui = createRunUi({ output: flags.output === 'ndjson' ? 'ndjson' : 'text', onInterrupt: () => {} });
  try {
    const status = await rollbackRun({
      stateDir,
      runId,
      sessions,
      onEvent: ui.reporter.onEvent,
      secretParams,
    });
    await ui.reporter.finish();
    if (status === 'nothing') io.out(`run ${runId}: nothing to undo (no change of it is still in place)`);
    return status;
  } finally {
    await sessions.close();
  }
}
