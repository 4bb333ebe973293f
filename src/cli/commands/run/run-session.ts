/**
 * What run, resume and rollback share on the command line: the run's UI, its sessions (with
 * PowerShell's noise on stderr for --verbose), and finishing both however the body ends.
 */
import type { EngineEvent } from '../../../engine/events.js';
import type { SessionProvider } from '../../../engine/session-provider.js';
import type { TargetSpec } from '../../../powershell/types.js';
import type { RunTracker } from '../../../ui/run-tracker.js';
import { openRunSessions } from './run-targets.js';
import { createRunUi, type RunUi } from './run-ui.js';

/** What a command's body gets: how to ask, the sessions, and where its events go. */
export interface RunSession {
  ui: RunUi;
  sessions: SessionProvider;
  /** Sends an event to the tracker (when there is one), then to the reporter. */
  onEvent: (event: EngineEvent) => void;
}

/** How to open a run's UI and sessions. */
export interface RunSessionOptions {
  targets: { client: TargetSpec; target: TargetSpec };
  sessionOptions: Omit<Parameters<typeof openRunSessions>[1], 'onDiagnostics'>;
  output: 'text' | 'ndjson';
  /** --verbose: PowerShell's diagnostics go to `err`, one `[where] text` line each. */
  verbose?: boolean;
  /** Called for Ctrl+C inside a prompt. */
  onInterrupt: () => void;
  tracker?: RunTracker;
  err: (text: string) => void;
}

/** Opens a run's UI and sessions, runs `body`, then finishes the reporter and closes the sessions. */
export async function withRunSession<T>(
  options: RunSessionOptions,
  body: (run: RunSession) => Promise<T>,
): Promise<T> {
  const { err, tracker } = options;
  const ui = createRunUi({ output: options.output, onInterrupt: options.onInterrupt });
  const sessions = openRunSessions(options.targets, {
    ...options.sessionOptions,
    ...(options.verbose
      ? { onDiagnostics: (text: string, where: string) => err(`[${where}] ${text.trimEnd()}`) }
      : {}),
  });
  const onEvent = tracker
    ? (event: EngineEvent) => {
        tracker.observe(event);
        ui.reporter.onEvent(event);
      }
    : ui.reporter.onEvent;
  try {
    return await body({ ui, sessions, onEvent });
  } finally {
    await ui.reporter.finish();
    await sessions.close();
  }
}
