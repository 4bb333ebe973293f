/** A step's machine that cannot be reached: noted once (journal and event), then every later step there skips it. */
import type { TargetUnreachable } from '../core/unreachable.js';
import type { RunContext } from './run-context.js';

/** Records that `on` could not be reached; journals and announces it the first time only. */
export function noteUnreachable(
  run: RunContext,
  on: 'client' | 'target',
  unreachable: TargetUnreachable,
): void {
  if (run.unreachable.has(on)) return;
  run.unreachable.set(on, unreachable);
  run.journal.append({ type: 'target-unreachable', on, ...unreachable });
  run.emit({ type: 'target.unreachable', on, ...unreachable });
}
