import { getEventListeners } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeForFleet } from '../../src/cli/fleet/fleet-exit-code.js';
import { acquireTargetLock, readLocks } from '../../src/engine/target-lock.js';
import type { FleetHostOutcome } from '../../src/fleet/fleet-journal.js';
import { readFleetRun } from '../../src/fleet/fleet-journal.js';
import { summarizeFleet } from '../../src/fleet/fleet-summary.js';
import type { FleetHostResult } from '../../src/fleet/run-fleet.js';
import { runFleet } from '../../src/fleet/run-fleet.js';
import { parseLabEntries } from '../../src/lab/lab-fleet.js';
import { renameLabHost } from '../../src/lab/scenario/rename-host.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';
import { loadPlaybook } from '../../src/playbook/load-playbook.js';

describe('lab fleet entries and renamed hosts', () => {
  it('parses name=scenario lists and refuses names Windows would not take, or twice', () => {
    expect(parseLabEntries(['web01=firewall-closed, web02=healthy', 'cert-expired'])).toEqual([
      { name: 'web01', scenario: 'firewall-closed' },
      { name: 'web02', scenario: 'healthy' },
      { scenario: 'cert-expired' },
    ]);
    expect(() => parseLabEntries(['a-very-long-computer-name=healthy'])).toThrow(
      /cannot be a Windows computer name/,
    );
    expect(() => parseLabEntries(['12345=healthy'])).toThrow(/not only digits/);
    expect(() => parseLabEntries(['web01=healthy,WEB01=cert-expired'])).toThrow(/names the host WEB01 twice/);
    expect(() => parseLabEntries(['web01='])).toThrow(/name a scenario/);
  });

  it('renames the computer name, FQDN, certificate names and the client DNS entry, keeping the rest', async () => {
    const loaded = await loadScenario('dns-mismatch');
    const before = JSON.stringify(loaded.state.firewall);
    renameLabHost(loaded.state, 'web07', loaded.pendingCertificates);
    const s = loaded.state;
    expect(s.hostName).toBe('WEB07');
    expect(Object.keys(s.client.dns ?? {})).toEqual(['WEB07.corp.example']);
    expect(s.client.dns?.['WEB07.corp.example']).toEqual(['@stale']);
    const cert = s.certificates?.['Remote Desktop']?.[0];
    expect([cert?.subject, cert?.issuer, cert?.dnsNames]).toEqual([
      'CN=WEB07.corp.example',
      'CN=WEB07.corp.example',
      ['WEB07.corp.example'],
    ]);
    expect(JSON.stringify(s)).not.toMatch(/srv01/i);
    expect(JSON.stringify(s.firewall)).toBe(before);
  });
});

const host = (name: string, outcome: FleetHostOutcome, causes: string[] = []): FleetHostResult => ({
  host: name,
  runId: `f.${name}`,
  target: `ssh://${name}`,
  outcome,
  causes: causes.map((cause) => ({
    cause,
    title: cause,
    confidence: 0.9,
    agreeing: 1,
    detected: true,
    evidence: [],
  })),
  fixed: [],
  remaining: outcome === 'failed' ? causes : [],
  autoReverted: 0,
  durationMs: 1,
});

describe('the fleet summary and exit code', () => {
  it('counts outcomes and groups causes across hosts, most hosts first', () => {
    const s = summarizeFleet([
      host('a', 'repaired', ['firewall-closed']),
      host('b', 'failed', ['firewall-closed', 'cert-expired']),
      host('c', 'ok'),
      host('d', 'unreachable'),
    ]);
    expect(s.counts).toMatchObject({ ok: 1, repaired: 1, failed: 1, unreachable: 1, rolledBack: 0 });
    expect(s.causes.map((c) => [c.cause, c.hosts, c.fixedOn])).toEqual([
      ['firewall-closed', ['a', 'b'], ['a']],
      ['cert-expired', ['b'], []],
    ]);
  });

  it.each([
    [['ok', 'repaired'], false, 0],
    [['ok', 'rolledBack'], false, 3],
    [['rolledBack', 'refused'], false, 4],
    [['refused', 'unreachable', 'repaired'], false, 5],
    [['unreachable', 'failed'], false, 1],
    [['failed', 'notStarted'], false, 130],
    [['ok'], true, 130],
  ] as Array<[FleetHostOutcome[], boolean, number]>)(
    '%j (interrupted %s) exits %i',
    (outcomes, interrupted, code) => {
      expect(exitCodeForFleet(outcomes, interrupted)).toBe(code);
    },
  );
});

describe('a fleet target another run holds', () => {
  it('is refused with the holder named and journaled, and its lock stays with the holder', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-fleet-lock-'));
    const held = acquireTargetLock(stateDir, 'ssh://held01', 'other-run');
    try {
      const fleet = await runFleet({
        playbook: await loadPlaybook(new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname),
        members: [{ name: 'held01', target: { kind: 'ssh', hostName: 'HELD01.corp.example' } }],
        stateDir,
        mode: { interactive: false, check: true },
        psremedyVersion: 'test',
      });
      expect(fleet.hosts[0]).toMatchObject({
        outcome: 'refused',
        reason: expect.stringMatching(/another run \(other-run, pid \d+\) is working on/),
      });
      expect(readFleetRun(stateDir, fleet.fleetId).ends.get('held01')?.outcome).toBe('refused');
      expect(readLocks(stateDir).map((l) => l.runId)).toEqual(['other-run']);
      expect(
        exitCodeForFleet(
          fleet.hosts.map((h) => h.outcome),
          false,
        ),
      ).toBe(4);
    } finally {
      held.release();
    }
  });
});

describe('Ctrl+C during a fleet run', () => {
  it('lets the running host stop and starts no other, saying where each stands', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-fleet-interrupt-'));
    const controller = new AbortController();
    const fleet = await runFleet({
      playbook: await loadPlaybook(new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname),
      members: [
        { name: 'first01', target: { kind: 'ssh', hostName: 'first01.invalid' } },
        { name: 'second01', target: { kind: 'ssh', hostName: 'second01.invalid' } },
      ],
      stateDir,
      forks: 1,
      mode: { interactive: false, check: true },
      signal: controller.signal,
      onEvent: (_host, event) => {
        if (event.type === 'run.start') controller.abort();
      },
      psremedyVersion: 'test',
    });
    expect(fleet.hosts.map((h) => [h.host, h.outcome])).toEqual([
      ['first01', 'cancelled'],
      ['second01', 'notStarted'],
    ]);
    expect(fleet.interrupted).toBe(true);
    expect(readFleetRun(stateDir, fleet.fleetId).ends.get('second01')?.reason).toMatch(/not started/);
    expect(readLocks(stateDir)).toEqual([]);
    expect(
      exitCodeForFleet(
        fleet.hosts.map((h) => h.outcome),
        fleet.interrupted,
      ),
    ).toBe(130);
  });
});

describe('the fleet signal', () => {
  it('carries one abort listener however many hosts run at once, and no leak warning', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-fleet-signal-'));
    const controller = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const members = Array.from({ length: 12 }, (_, i) => ({
      name: `many${i}`,
      target: { kind: 'ssh' as const, hostName: `many${i}.invalid` },
    }));
    let started = 0;
    let mostListeners = 0;
    try {
      const fleet = await runFleet({
        playbook: await loadPlaybook(new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname),
        members,
        stateDir,
        forks: members.length,
        mode: { interactive: false, check: true },
        signal: controller.signal,
        onEvent: (_host, event) => {
          if (event.type !== 'run.start') return;
          mostListeners = Math.max(mostListeners, getEventListeners(controller.signal, 'abort').length);
          // Every host has started and none has ended: stop them all before they reach PowerShell.
          if (++started === members.length) controller.abort();
        },
        psremedyVersion: 'test',
      });
      expect(fleet.hosts.every((h) => h.outcome === 'cancelled')).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
    expect(started).toBe(12);
    expect(mostListeners).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
