/**
 * The sessions of one target of a fleet run: its own remote session (opened on first use, reused,
 * closed when the target's run ends) and a lease on the fleet's shared local client sessions.
 */
import type { SessionProvider } from '../engine/session-provider.js';
import { createTargetSessions } from '../engine/target-sessions.js';
import { describeTarget, type SessionOptions } from '../powershell/session-options.js';
import type { Session, TargetSpec } from '../powershell/types.js';
import type { ClientSessionPool } from './client-session-pool.js';
import type { OpenGate } from './open-gate.js';

/**
 * A SessionProvider for `target` whose client steps run on `pool`. A target waits at the gate
 * once per open, however many of its steps ask for the session meanwhile: each asking step
 * queueing on its own would hold gate places waiting on the same open, and the other targets'
 * opens would go one at a time. An open still queued when the run is interrupted or ends is
 * dropped at its turn, not started.
 */
export function createFleetTargetSessions(
  target: TargetSpec,
  pool: ClientSessionPool,
  options: SessionOptions,
  gate: OpenGate,
  own: SessionProvider = createTargetSessions({ client: { kind: 'local' }, target }, options),
): SessionProvider {
  const client = pool.lend();
  let isOpen = false;
  let opening: Promise<Session> | undefined;
  let generation = 0;
  const openAtGate = (open: () => Promise<Session>): Promise<Session> => {
    const asked = generation;
    const gated = gate.run(async () => {
      if (asked !== generation)
        throw new Error(`the run on ${describeTarget(target)} stopped before its session opened`);
      const session = await open();
      if (asked === generation) isOpen = true;
      return session;
    });
    opening = gated;
    gated.catch(() => {
      if (opening === gated) opening = undefined;
    });
    return gated;
  };
  const forget = () => {
    generation += 1;
    isOpen = false;
    opening = undefined;
  };
  return {
    get: (on) =>
      on === 'client'
        ? Promise.resolve(client)
        : isOpen
          ? own.get('target')
          : (opening ?? openAtGate(() => own.get('target'))),
    // A pooled session replaces its own process after a timeout or crash; there is nothing to reopen.
    reopen: (on, reopenOptions) => {
      if (on === 'client') return Promise.resolve(client);
      forget();
      return openAtGate(() => own.reopen('target', reopenOptions));
    },
    async interrupt() {
      forget();
      await Promise.all([own.interrupt(), client.interrupt()]);
    },
    close: () => {
      forget();
      return own.close();
    },
  };
}
