/** How a server-side revert (revertUnlessConfirmed on a remote target) is said on every screen. */
import type { ServerRevertEvent } from '../engine/events.js';
import type { Colors } from './colors.js';

/** The lines for one server-revert event; `revertUnverified` is loud and says what to do. */
export function formatServerRevert(event: ServerRevertEvent, c: Colors): string[] {
  const at = event.deadline ? ` at ${event.deadline}` : '';
  switch (event.outcome) {
    case 'armed':
      return [
        c.dim(`  ${event.stepId}: the server will undo this change itself${at} unless psremedy confirms it`),
      ];
    case 'confirmed':
      return [c.green(`  ${event.stepId}: confirmed; the server's revert task and its folder are removed`)];
    case 'autoReverted':
      return [
        c.yellow(
          `  ${event.stepId}: the server reverted the change itself (auto-reverted); a fresh test matches the state before`,
        ),
      ];
    case 'revertUnverified':
      return [
        c.bold(
          c.red(
            `  ${event.stepId}: REVERT UNVERIFIED: ${event.note ?? 'the server should have reverted the change, but psremedy could not check it'}; check the server by hand`,
          ),
        ),
      ];
  }
}
