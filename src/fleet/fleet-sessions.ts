/**
 * The sessions of one target of a fleet run: its own remote session (opened on first use, reused,
 * closed when the target's run ends) and a lease on the fleet's shared local client sessions.
 */
import type { SessionProvider } from '../engine/session-provider.js';
import { createTargetSessions } from '../engine/target-sessions.js';
import type { SessionOptions } from '../powershell/session-options.js';
import type { Session, TargetSpec } from '../powershell/types.js';
import type { ClientSessionPool } from './client-session-pool.js';
import type { OpenGate } from './open-gate.js';

/** A SessionProvider for `target` whose client steps run on `pool`. */
export function createFleetTargetSessions(
  target: TargetSpec,
  pool: ClientSessionPool,
  options: SessionOptions,
  gate: OpenGate,
): SessionProvider {
  const own = createTargetSessions({ client: { kind: 'local' }, target }, options);
  const client = pool.lend();
  let isOpen = false;
  const opened = async (open: () => Promise<Session>) => {
    const session = await open();
    isOpen = true;
    return session;
  };
  return {
    get: (on) =>
      on === 'client'
        ? Promise.resolve(client)
        : isOpen
          ? own.get('target')
          : gate.run(() => opened(() => own.get('target'))),
    // A pooled session replaces its own process after a timeout or crash; there is nothing to reopen.
    reopen: (on) => {
      if (on === 'client') return Promise.resolve(client);
      isOpen = false;
      return gate.run(() => opened(() => own.reopen('target')));
    },
    async interrupt() {
      await Promise.all([own.interrupt(), client.interrupt()]);
    },
    close: () => own.close(),
  };
}
