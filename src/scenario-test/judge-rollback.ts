/** Rollback check: `rollback` of the run restored every host's state exactly (appended events aside). */
import { formatDifferences } from '../lab/state-diff.js';
import type { HostComparison } from './compare-host-files.js';
import type { CheckResult } from './scenario-result.js';

/** What `rollbackRun` returned, or the error it threw. */
export type RollbackStatus =
  | 'rolledBack'
  | 'revertUnverified'
  | 'rollbackFailed'
  | 'nothing'
  | { error: string };

/** Judges the rollback's own status and the state comparison after it. */
export function judgeRollback(
  status: RollbackStatus,
  changed: boolean,
  comparisons: HostComparison[],
): Omit<CheckResult, 'durationMs'> {
  const differing = comparisons.filter((c) => c.differences.length > 0);
  const details = differing.flatMap((c) =>
    formatDifferences(c.differences)
      .split('\n')
      .map((line) => (comparisons.length > 1 ? `${c.host}: ${line}` : line)),
  );
  const ignored = comparisons.reduce((n, c) => n + c.ignored.length, 0);
  const ignoredNote = ignored > 0 ? ` (ignored: ${ignored} appended event${ignored > 1 ? 's' : ''})` : '';
  const failures: string[] = [];
  if (typeof status === 'object') failures.push(`rollback threw: ${status.error}`);
  else if (status === 'revertUnverified' || status === 'rollbackFailed')
    failures.push(`rollback ended ${status}`);
  else if (status === 'nothing' && changed)
    failures.push('rollback found nothing to undo, but the run changed the host');
  if (differing.length > 0) {
    const count = differing.reduce((n, c) => n + c.differences.length, 0);
    failures.push(`state differs from the start in ${count} place${count > 1 ? 's' : ''}`);
  }
  if (failures.length > 0) return { passed: false, reason: failures.join('; ') + ignoredNote, details };
  const what = status === 'nothing' ? 'nothing to undo' : 'rolled back';
  return { passed: true, reason: `${what}; state equal to the start${ignoredNote}`, details };
}
