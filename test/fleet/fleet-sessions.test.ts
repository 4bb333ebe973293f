import { describe, expect, it } from 'vitest';
import type { SessionProvider } from '../../src/engine/session-provider.js';
import type { ClientSessionPool, PooledClientSession } from '../../src/fleet/client-session-pool.js';
import { createFleetTargetSessions } from '../../src/fleet/fleet-sessions.js';
import { createOpenGate } from '../../src/fleet/open-gate.js';
import type { Session, TargetSpec } from '../../src/powershell/types.js';

const OPEN_MS = 40;

/** Opens of fake remote sessions: each takes OPEN_MS, cached per target as the real provider does. */
function fakeOpens() {
  let running = 0;
  let mostAtOnce = 0;
  let started = 0;
  const providerFor = (target: TargetSpec): SessionProvider => {
    let open: Promise<Session> | undefined;
    const start = () => {
      started += 1;
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      open = new Promise<Session>((resolve) =>
        setTimeout(() => {
          running -= 1;
          resolve({ target } as Session);
        }, OPEN_MS),
      );
      return open;
    };
    return {
      get: () => open ?? start(),
      reopen: () => start(),
      interrupt: async () => {
        open = undefined;
      },
      close: async () => {
        open = undefined;
      },
    };
  };
  return { providerFor, mostAtOnce: () => mostAtOnce, started: () => started };
}

const pool = { lend: () => ({}) as PooledClientSession } as unknown as ClientSessionPool;

describe('the sessions of fleet targets', () => {
  it('open as many targets at once as the gate has places, however many steps of each ask at once', async () => {
    const opens = fakeOpens();
    const gate = createOpenGate(2);
    const hosts = ['a', 'b', 'c', 'd'].map((name) => {
      const target: TargetSpec = { kind: 'ssh', hostName: name };
      return createFleetTargetSessions(target, pool, {}, gate, opens.providerFor(target));
    });
    const started = performance.now();
    // Each target's early open and three diagnose steps ask for its session together.
    await Promise.all(hosts.flatMap((h) => [1, 2, 3, 4].map(() => h.get('target'))));
    expect(opens.mostAtOnce()).toBe(2);
    expect(opens.started()).toBe(4);
    // Two waves of two opens, not four opens one after another.
    expect(performance.now() - started).toBeLessThan(3 * OPEN_MS);
  });

  it('drops an open still waiting at the gate when its run ends, so nothing opens after the close', async () => {
    const opens = fakeOpens();
    const gate = createOpenGate(1);
    const first = createFleetTargetSessions(
      { kind: 'ssh', hostName: 'a' },
      pool,
      {},
      gate,
      opens.providerFor({ kind: 'ssh', hostName: 'a' }),
    );
    const second = createFleetTargetSessions(
      { kind: 'ssh', hostName: 'b' },
      pool,
      {},
      gate,
      opens.providerFor({ kind: 'ssh', hostName: 'b' }),
    );
    const opening = first.get('target');
    const waiting = second.get('target');
    await second.close();
    await opening;
    await expect(waiting).rejects.toThrow(/stopped before its session opened/);
    expect(opens.started()).toBe(1);
  });
});
