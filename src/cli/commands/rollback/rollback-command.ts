/** `psremedy rollback <runId>`: sessions for the journaled target, then the engine's rollbackRun. */
import { secretValuesOf } from '../../../engine/mask-secrets.js';
import { readRun, rollbackRun } from '../../../engine/rollback-run.js';
import { resolveStateDir } from '../../../engine/run-store.js';
import { parseParamAssignments } from '../../../playbook/resolve-params.js';
import type { TargetSpec } from '../../../powershell/types.js';
import { describeSealedTail } from '../../../ui/journal-notice.js';
import { withRunSession } from '../run/run-session.js';
import { reattachLab } from '../run/run-targets.js';

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
  const runSession = {
    targets,
    sessionOptions: { ...labOptions, secrets: secretValuesOf(secretParams, start.secretParams) },
    output: flags.output === 'ndjson' ? ('ndjson' as const) : ('text' as const),
    verbose: flags.verbose === true,
    onInterrupt: () => {},
    err: io.err,
  };
  const status = await withRunSession(runSession, ({ sessions, onEvent }) =>
    rollbackRun({ stateDir, runId, sessions, onEvent, secretParams }),
  );
  if (status === 'nothing') io.out(`run ${runId}: nothing to undo (no change of it is still in place)`);
  return status;
}
