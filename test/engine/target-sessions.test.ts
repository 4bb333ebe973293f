import { describe, expect, it } from 'vitest';
import { createTargetSessions, MAX_REOPENS } from '../../src/engine/target-sessions.js';
import { findTestPowerShell } from '../powershell/test-powershell.js';
import { startSshTestHost } from '../support/ssh-hosts.js';

describe('the sessions of a run, for a target that went away', () => {
  it('reconnects on request at most MAX_REOPENS times, then answers connectionLost at once', async () => {
    const powershell = await findTestPowerShell();
    const host = await startSshTestHost({ powershell, forceStandIn: true });
    const sessions = createTargetSessions(
      { client: { kind: 'local' }, target: host.target },
      { powershell, env: host.env, connectTimeoutMs: 10_000 },
    );
    const ping = async () =>
      (await sessions.get('target')).run({ script: '"up"', params: {}, timeoutMs: 30_000 });
    try {
      expect((await ping()).status).toBe('ok');
      await host.kill();
      const reasons: (string | undefined)[] = [];
      for (let i = 0; i < MAX_REOPENS; i++) {
        const session = await sessions.reopen('target');
        reasons.push(
          (await session.run({ script: '"up"', params: {}, timeoutMs: 30_000 })).unreachable?.reason,
        );
      }
      expect(reasons).toEqual(Array(MAX_REOPENS).fill('connectionRefused'));
      // The host is back, but this run has given up on it: no more connects, no more waiting.
      await host.restart();
      const started = Date.now();
      const last = await (await sessions.reopen('target')).run({
        script: '"up"',
        params: {},
        timeoutMs: 30_000,
      });
      expect(last).toMatchObject({ status: 'unreachable', unreachable: { reason: 'connectionLost' } });
      expect(await ping()).toMatchObject({
        status: 'unreachable',
        unreachable: { reason: 'connectionLost' },
      });
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await sessions.close();
      await host.stop();
    }
  });
});
