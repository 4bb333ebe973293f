import type { TargetUnreachable } from '../core/unreachable.js';
import { unreachableOutcome } from './outcome.js';
import type { ScriptOutcome, Session, TargetSpec } from './types.js';

/**
 * The stand-in for a target whose session could not be opened: every request answers
 * `unreachable` at once, so a run goes on with its client-side steps instead of waiting again.
 */
export class UnreachableSession implements Session {
  constructor(
    readonly target: TargetSpec,
    readonly unreachable: TargetUnreachable,
  ) {}

  async run(): Promise<ScriptOutcome> {
    return unreachableOutcome(this.unreachable);
  }

  async close(): Promise<void> {}
}
