/** `psremedy runs`: the runs in the state folder, oldest first, with their outcome. */
import { forgetRun } from '../../../engine/forget-run.js';
import { formatRunHint } from '../../../engine/run-hints.js';
import { listRuns, resolveStateDir } from '../../../engine/run-store.js';
import { createColors } from '../../../ui/colors.js';
import { describeTornTail } from '../../../ui/journal-notice.js';

/** Prints the runs (or JSON) and returns the exit code: 0, or 1 when a run crashed. */
export function listRunsCommand(
  flags: { stateDir?: string; json?: boolean },
  io: { out(text: string): void },
): number {
  const stateDir = resolveStateDir(flags.stateDir);
  const runs = listRuns(stateDir);
  if (flags.json) {
    io.out(JSON.stringify(runs, null, 2));
    return 0;
  }
  if (runs.length === 0) {
    io.out(`no runs in ${stateDir}`);
    return 0;
  }
  const c = createColors(process.stdout);
  const rows = runs.map((r) => [
    r.runId,
    r.playbook,
    r.target,
    r.startedAt.replace('T', ' ').slice(0, 19),
    r.status,
  ]);
  const header = ['RUN', 'PLAYBOOK', 'TARGET', 'STARTED (UTC)', 'OUTCOME'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  io.out(c.bold(line(header)));
  for (const [i, r] of runs.entries()) {
    const text = line(rows[i] ?? []);
    io.out(r.status === 'crashed' ? c.yellow(text) : text);
    if (r.tornTailBytes) io.out(c.dim(`  ${describeTornTail(r.journalPath, r.tornTailBytes)}`));
    if (r.status === 'crashed' || (r.status === 'problemsRemain' && r.pendingChanges.length > 0)) {
      io.out(c.dim(`  changes that may be in place: ${r.pendingChanges.join(', ') || 'none'}`));
      io.out(c.dim(`  undo:     ${formatRunHint('rollback', r.runId, stateDir)}`));
      io.out(c.dim(`  continue: ${formatRunHint('resume', r.runId, stateDir)}`));
      if (r.status === 'crashed')
        io.out(c.dim(`  forget:   ${formatRunHint('runs --forget', r.runId, stateDir)}`));
    }
  }
  return 0;
}

/** `psremedy runs --forget <runId>`: journals that a crashed run was dealt with; warns about what may remain. */
export function forgetRunCommand(
  runId: string,
  flags: { stateDir?: string },
  io: { out(text: string): void; err(text: string): void },
): number {
  const stateDir = resolveStateDir(flags.stateDir);
  const forgotten = forgetRun(stateDir, runId);
  if (forgotten.status !== 'forgotten') {
    io.out(`run ${runId} finished (${forgotten.status}); there is no crash warning to clear`);
    return 0;
  }
  io.out(`run ${runId}: forgotten; psremedy no longer warns about it`);
  if (forgotten.pendingChanges.length > 0)
    io.err(
      `warning: changes of it may still be in place (${forgotten.pendingChanges.join(', ')}); undo them with ${formatRunHint('rollback', runId, stateDir)}`,
    );
  return 0;
}
