import { describe, expect, it } from 'vitest';
import { diffStates, listScenarios, showScenario, upLab } from '../../src/cli/commands/lab/lab-command.js';
import type { Io } from '../../src/cli/run-action.js';
import { probeRdp } from '../support/rdp-probe.js';

function captureIo(): Io & { text(): string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(`ERR ${t}`), text: () => lines.join('\n') };
}

describe('psremedy lab', () => {
  it('lists every scenario with its expected causes', async () => {
    const io = captureIo();
    expect(await listScenarios(io)).toBe(0);
    expect(io.text()).toMatch(/^firewall-closed\+cert-expired\s+firewall-closed, cert-expired$/m);
    expect(io.text()).toMatch(/^healthy\s+\(none: healthy\)$/m);
  });

  it('shows a scenario with its changes and its differences from the base', async () => {
    const io = captureIo();
    expect(await showScenario(io, 'wrong-port', {})).toBe(0);
    expect(io.text()).toContain('expected causes: wrong-port');
    expect(io.text()).toContain('PortNumber.value: 3389 -> 3390');
  });

  it('diffs two scenarios and exits 1 when they differ, 0 when they do not', async () => {
    const io = captureIo();
    expect(await diffStates(io, 'healthy', 'firewall-closed')).toBe(1);
    expect(io.text()).toContain('~ firewall.rules[RemoteDesktop-UserMode-In-TCP].enabled: true -> false');
    expect(await diffStates(captureIo(), 'healthy', 'port-unreachable')).toBe(0);
  });

  it('keeps a lab up, prints how to reach it, and stops it when told', async () => {
    const io = captureIo();
    let release = () => {};
    const until = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = upLab(io, 'healthy', { remoting: false, untilSignal: until });
    const deadline = Date.now() + 20_000;
    while (!io.text().includes('Ctrl+C stops the lab.') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const address = /host SRV01 at (127\.0\.0\.\d+), RDP port 3389/.exec(io.text())?.[1];
    expect(address).toBeDefined();
    expect(io.text()).toContain(`xfreerdp /v:${address}:3389`);
    expect(await probeRdp({ host: address!, port: 3389, timeoutMs: 2000 })).toMatchObject({ stage: 'done' });
    release();
    expect(await running).toBe(0);
    expect(await probeRdp({ host: address!, port: 3389, timeoutMs: 2000 })).toMatchObject({
      failure: 'refused',
    });
  });
});
