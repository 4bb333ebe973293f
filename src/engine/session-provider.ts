/**
 * Where the engine gets its PowerShell sessions: one for `on: client` steps and one for
 * `on: target` steps (the same one when the target is this machine).
 */
import type { Session } from '../powershell/types.js';

/** How a reopen is meant. */
export interface ReopenOptions {
  /** The target is expected to be away for a while (a server-side revert): not counted as a drop. */
  expectedOutage?: boolean;
}

/** Sessions for one run, opened on first use and replaced when lost. */
export interface SessionProvider {
  /** The session for a step's location, opened on first use. */
  get(on: 'client' | 'target'): Promise<Session>;
  /** Closes a lost session and opens a new one (after `connectionLost`, a crash or Ctrl+C). */
  reopen(on: 'client' | 'target', options?: ReopenOptions): Promise<Session>;
  /** Kills whatever runs now (Ctrl+C); the next `get` opens fresh sessions. */
  interrupt(): Promise<void>;
  close(): Promise<void>;
}
