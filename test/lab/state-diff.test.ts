import { describe, expect, it } from 'vitest';
import type { HostState } from '../../src/lab/host-state.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';
import { compareStates, formatDifferences } from '../../src/lab/state-diff.js';

const base = async () => (await loadScenario('healthy')).state;

describe('compareStates', () => {
  it('finds no difference between a state and its copy', async () => {
    const a = await base();
    expect(compareStates(a, structuredClone(a))).toEqual([]);
  });

  it('names list items by their key and registry keys case-insensitively', async () => {
    const a = await base();
    const b = structuredClone(a);
    b.services.find((s) => s.name === 'TermService')!.status = 'Stopped';
    const rdpKey = Object.keys(b.registry).find((k) => k.endsWith('RDP-Tcp'))!;
    b.registry[rdpKey.toUpperCase()] = b.registry[rdpKey]!;
    delete b.registry[rdpKey];
    expect(formatDifferences(compareStates(a, b))).toBe(
      '~ services[TermService].status: "Running" -> "Stopped"',
    );
  });

  it('reports added and removed values, list items and a changed order', async () => {
    const a = await base();
    const b: HostState = structuredClone(a);
    const rdpKey = Object.keys(b.registry).find((k) => k.endsWith('RDP-Tcp'))!;
    delete b.registry[rdpKey]!.PortNumber;
    b.registry[rdpKey]!.SSLCertificateSHA1Hash = { type: 'Binary', value: 'AB' };
    b.firewall.rules.reverse();
    b.events.push({ logName: 'System', recordId: 99 });
    const paths = compareStates(a, b).map((d) => `${d.kind} ${d.path}`);
    expect(paths).toEqual([
      `removed registry[${rdpKey}].PortNumber`,
      `added registry[${rdpKey}].SSLCertificateSHA1Hash`,
      'changed firewall.rules (order)',
      'added events[99]',
    ]);
  });

  it('skips ignored paths', async () => {
    const a = await base();
    const b = structuredClone(a);
    b.network = { address: '127.0.0.9' };
    expect(compareStates(a, b, { ignore: ['network'] })).toEqual([]);
    expect(compareStates(a, b)).toHaveLength(1);
  });
});
