/** The real SessionProvider: PowerShell sessions from src/powershell, one per distinct target. */
import { openSession } from '../powershell/open-session.js';
import { describeTarget, type SessionOptions } from '../powershell/session-options.js';
import type { Session, TargetSpec } from '../powershell/types.js';
import type { SessionProvider } from './session-provider.js';

/** Opens sessions for `client` and `target` steps on first use; the same one when both are local. */
export function createTargetSessions(
  targets: { client: TargetSpec; target: TargetSpec },
  options: SessionOptions = {},
): SessionProvider {
  const open = new Map<string, Promise<Session>>();
  const specOf = (on: 'client' | 'target') => (on === 'client' ? targets.client : targets.target);
  const closeAll = async () => {
    const sessions = [...open.values()];
    open.clear();
    await Promise.all(sessions.map(async (s) => (await s.catch(() => undefined))?.close()));
  };
  const get = (on: 'client' | 'target'): Promise<Session> => {
    const spec = specOf(on);
    const key = describeTarget(spec);
    let session = open.get(key);
    if (!session) {
      session = openSession(spec, options);
      open.set(key, session);
      session.catch(() => open.delete(key));
    }
    return session;
  };
  return {
    get,
    async reopen(on) {
      const key = describeTarget(specOf(on));
      const old = open.get(key);
      open.delete(key);
      await (await old?.catch(() => undefined))?.close();
      return get(on);
    },
    interrupt: closeAll,
    close: closeAll,
  };
}
