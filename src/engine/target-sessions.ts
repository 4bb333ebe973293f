/** The real SessionProvider: PowerShell sessions from src/powershell, one per distinct target. */
import { TargetUnreachableError } from '../core/errors.js';
import { openSession } from '../powershell/open-session.js';
import { describeTarget, type SessionOptions } from '../powershell/session-options.js';
import type { Session, TargetSpec } from '../powershell/types.js';
import { UnreachableSession } from '../powershell/unreachable-session.js';
import type { SessionProvider } from './session-provider.js';

/** Reconnects (reopen) per target and run; past it the target stays unreachable for the run. */
export const MAX_REOPENS = 3;

/**
 * Opens sessions for `client` and `target` steps on first use; the same one when both are local.
 * A target that cannot be opened is not tried again at every step: its session answers
 * `unreachable` at once (only `reopen`, up to MAX_REOPENS times, tries again).
 */
export function createTargetSessions(
  targets: { client: TargetSpec; target: TargetSpec },
  options: SessionOptions = {},
): SessionProvider {
  const open = new Map<string, Promise<Session>>();
  const reopens = new Map<string, number>();
  let opening = new AbortController();
  const specOf = (on: 'client' | 'target') => (on === 'client' ? targets.client : targets.target);
  const closeAll = async () => {
    opening.abort();
    opening = new AbortController();
    const sessions = [...open.values()];
    open.clear();
    await Promise.all(sessions.map(async (s) => (await s.catch(() => undefined))?.close()));
  };
  const start = (spec: TargetSpec, key: string): Promise<Session> => {
    const session = openSession(spec, options, opening.signal).catch((error: unknown) => {
      if (error instanceof TargetUnreachableError) return new UnreachableSession(spec, error.unreachable);
      open.delete(key);
      throw error;
    });
    open.set(key, session);
    return session;
  };
  const get = (on: 'client' | 'target'): Promise<Session> => {
    const spec = specOf(on);
    const key = describeTarget(spec);
    return open.get(key) ?? start(spec, key);
  };
  return {
    get,
    async reopen(on, reopenOptions) {
      const spec = specOf(on);
      const key = describeTarget(spec);
      const old = open.get(key);
      open.delete(key);
      await (await old?.catch(() => undefined))?.close();
      const count = (reopens.get(key) ?? 0) + (reopenOptions?.expectedOutage ? 0 : 1);
      reopens.set(key, count);
      if (count > MAX_REOPENS) {
        const given = new UnreachableSession(spec, {
          target: key,
          reason: 'connectionLost',
          detail: `the connection dropped ${count} times; psremedy stopped reconnecting after ${MAX_REOPENS}`,
          waitedMs: 0,
        });
        open.set(key, Promise.resolve(given));
        return given;
      }
      return start(spec, key);
    },
    interrupt: closeAll,
    close: closeAll,
  };
}
