import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostState } from '../../src/lab/host-state.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';
import { deriveFixCases } from './support/fix-cases.js';
import { readComparableState, removeState, writeScenarioState } from './support/lab-state.js';
import {
  type Finding,
  namedCauses,
  openScriptSession,
  type ScriptSession,
} from './support/script-session.js';

interface TestResult {
  compliant: boolean;
  reason: string;
  state: unknown;
}
interface ApplyResult {
  changed: boolean;
  before: unknown;
  after: unknown;
  changes: string[];
}

/** One fix as the playbook wires it: its scripts, the `with:` params, and a broken state it must repair. */
interface FixCase {
  title: string;
  scenario: string;
  change?: (state: HostState) => void;
  scripts: { test: string; apply: string; undo: string };
  /** The step's params, or how to get them once the scenario's state is in use. */
  params?: Record<string, unknown> | (() => Promise<Record<string, unknown>>);
}

const service = { test: 'Test-RdpServiceState', apply: 'Enable-RdpService', undo: 'Restore-RdpService' };
const firewall = {
  test: 'Test-RdpFirewallState',
  apply: 'Enable-RdpFirewallRule',
  undo: 'Restore-RdpFirewallRule',
};

/**
 * Round trips beyond the one per fix and cause that the playbook implies (support/fix-cases.ts):
 * other scenarios of a cause, and states made here.
 */
const extraCases: FixCase[] = [
  {
    title: 'creates a scoped firewall rule when the built-in one is missing',
    scenario: 'healthy',
    change: (s) => {
      s.firewall.rules = s.firewall.rules.filter((r) => r.name !== 'RemoteDesktop-UserMode-In-TCP');
    },
    scripts: firewall,
    // The client is on the server's subnet, so the LocalSubnet rule admits it.
    params: { RemoteAddress: 'LocalSubnet', ClientAddress: '10.0.0.50' },
  },
  {
    title: 'disables the local Block rule that beats the Allow rule',
    scenario: 'firewall-block-rule',
    scripts: firewall,
    params: { RemoteAddress: 'Any', ClientAddress: '192.168.10.20' },
  },
  {
    title: 'adds a rule for the profile the traffic arrives on',
    scenario: 'firewall-profile-mismatch',
    scripts: firewall,
    params: { RemoteAddress: 'Any', ClientAddress: '192.168.10.20' },
  },
  {
    title: 'adds a rule when the built-in one admits other addresses only',
    scenario: 'firewall-scoped-elsewhere',
    scripts: firewall,
    params: { RemoteAddress: 'Any', ClientAddress: '192.168.10.20' },
  },
  {
    title: 'adds a rule when the built-in one applies to another interface',
    scenario: 'firewall-interface-scoped',
    scripts: firewall,
    params: { RemoteAddress: 'Any', ClientAddress: '192.168.10.20' },
  },
  {
    title: 'enables the built-in rule when only an authenticated-only rule is left',
    scenario: 'firewall-authenticated-only',
    scripts: firewall,
    params: { RemoteAddress: 'Any', ClientAddress: '192.168.10.20' },
  },
  {
    title: 'switches the RDP-Tcp listener on',
    scenario: 'listener-disabled',
    scripts: service,
    params: { ClientAddress: '192.168.10.20' },
  },
  {
    title: 'binds the RDP-Tcp listener to all adapters',
    scenario: 'listener-wrong-adapter',
    scripts: service,
    params: { ClientAddress: '192.168.10.20' },
  },
  {
    title: 'turns NLA off where Group Policy requires it',
    scenario: 'nla-mismatch',
    change: (s) => {
      const policy = s.registry['HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services'] ?? {};
      policy.UserAuthentication = { type: 'DWord', value: 1 };
      s.registry['HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services'] = policy;
    },
    scripts: { test: 'Test-RdpNlaState', apply: 'Set-RdpNla', undo: 'Restore-RdpNla' },
    params: { Desired: 0 },
  },
];

/** Renewal moves the old certificate to a backup store (Move-Item, New-Item on Cert:) so the undo can put it back. */
const certificateCases: FixCase[] = [
  {
    title: 'starts TermService, which replaces the expired self-signed certificate',
    scenario: 'termservice-stopped+cert-expired',
    scripts: service,
  },
];

const derivedCases = await deriveFixCases();

let ps: ScriptSession;
/** Certificate renewal moves the old certificate with Move-Item on Cert:, which the lab may lack. */
let certStoresMovable = false;
beforeAll(async () => {
  ps = await openScriptSession({ lab: true });
  const outcome = await ps.runText("(Get-Command -Name Move-Item).Source -eq 'PSRemedyLab'");
  certStoresMovable = outcome.result === true;
  if (!certStoresMovable)
    console.warn(
      'skipping the certificate round trips: the lab module has no Move-Item for Cert: stores yet',
    );
});
afterAll(async () => {
  await ps?.close();
});

describe('each fix step of the playbook, for each cause it fixes', () => {
  it.each(derivedCases.map((c) => [c.stepId, c.cause] as const))(
    '%s has a one-cause scenario for %s to round-trip in',
    async (_step, cause) => {
      const { scenario } = await loadScenario(cause);
      expect(scenario.expectedCauses).toEqual([cause]);
    },
  );

  describe.each(derivedCases)('$stepId in scenario $scenario', (fix) =>
    roundTrip(
      {
        title: `${fix.stepId} fixes ${fix.cause}`,
        scenario: fix.scenario,
        scripts: fix.scripts,
        params: () => fix.params(async (script, params) => ps.runPath(script, params).then((o) => o.result)),
      },
      () => fix.scripts.apply !== 'Repair-RdpCertificate' || certStoresMovable,
    ),
  );
});

describe.each(extraCases)('the fix that $title', (fix) => roundTrip(fix));

describe.each(certificateCases)('the certificate fix that $title', (fix: FixCase) =>
  roundTrip(fix, () => certStoresMovable),
);

function roundTrip(
  { scenario, change, scripts, params: given = {} }: FixCase,
  enabled: () => boolean = () => true,
): void {
  let path: string;
  beforeAll(async () => {
    path = await writeScenarioState(scenario, change);
  });
  afterAll(async () => {
    await removeState(path);
  });

  it(`finds ${scenario} not compliant, changes nothing with -WhatIf, repairs it, and the undo restores the state file exactly`, async (context) => {
    if (!enabled()) context.skip();
    await ps.useState(path);
    const params = typeof given === 'function' ? await given() : given;
    const start = await readComparableState(path);
    const startBytes = await readFile(path, 'utf8');

    const first = await ps.result<TestResult>(scripts.test, params);
    expect(first.compliant, first.reason).toBe(false);

    const preview = await ps.result<ApplyResult>(scripts.apply, params, { whatIf: true });
    expect(preview.changed).toBe(false);
    expect(preview.changes.length).toBeGreaterThan(0);
    expect(await readFile(path, 'utf8')).toBe(startBytes);

    const applied = await ps.result<ApplyResult>(scripts.apply, params);
    expect(applied.changed).toBe(true);
    expect(applied.before).toEqual(first.state);
    const verify = await ps.result<TestResult>(scripts.test, params);
    expect(verify.compliant, verify.reason).toBe(true);
    expect(verify.state).toEqual(applied.after);

    const again = await ps.result<ApplyResult>(scripts.apply, params);
    expect(again.changed).toBe(false);

    const undone = await ps.result<ApplyResult>(scripts.undo, { ...params, Before: applied.before });
    expect(undone.changed).toBe(true);
    const afterUndo = await ps.result<TestResult>(scripts.test, params);
    expect(afterUndo.state).toEqual(first.state);
    expect(await readComparableState(path)).toEqual(start);
  });
}

describe('resetting the adapter that carries the management connection', () => {
  let path: string;
  beforeAll(async () => {
    path = await writeScenarioState('healthy', (s) => {
      const adapter = s.netAdapters.find((a) => a.name === 'Ethernet');
      // Disconnected although the link is there (a stuck driver): what a restart can repair.
      if (adapter) Object.assign(adapter, { status: 'Disconnected', cableConnected: true });
    });
  });
  afterAll(async () => {
    await removeState(path);
  });

  it('is refused without Force and changes nothing', async () => {
    await ps.useState(path);
    const before = await readFile(path, 'utf8');
    const outcome = await ps.run('Reset-RdpNetAdapter', {
      Name: 'Ethernet',
      Force: false,
      ManagementAddress: '10.0.0.5',
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(
      /Refusing to restart network adapter Ethernet: it holds the management address \(10\.0\.0\.5\)/,
    );
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('restarts it with Force', async () => {
    await ps.useState(path);
    const applied = await ps.result<ApplyResult>('Reset-RdpNetAdapter', {
      Name: 'Ethernet',
      Force: true,
      ManagementAddress: '10.0.0.5',
    });
    expect(applied.changes).toEqual(['restart network adapter Ethernet (now Disconnected)']);
    const verify = await ps.result<TestResult>('Test-RdpNetAdapterState', { Name: 'Ethernet' });
    expect(verify.compliant, verify.reason).toBe(true);
  });
});

describe('a certificate other evidence says the listener cannot use', () => {
  let path: string;
  beforeAll(async () => {
    path = await writeScenarioState('cert-key-unreadable');
  });
  afterAll(async () => {
    await removeState(path);
  });

  it('counts as unusable only when named as suspect, since the lab shows no key ACL', async () => {
    await ps.useState(path);
    const plain = await ps.result<TestResult & { state: { listener: { thumbprint: string } } }>(
      'Test-RdpCertificateState',
      {},
    );
    expect(plain.compliant).toBe(true);
    const suspect = await ps.result<TestResult>('Test-RdpCertificateState', {
      SuspectThumbprint: plain.state.listener.thumbprint,
    });
    expect(suspect.compliant).toBe(false);
    expect(suspect.state).toEqual(plain.state);
    const preview = await ps.result<ApplyResult>(
      'Repair-RdpCertificate',
      { SuspectThumbprint: plain.state.listener.thumbprint },
      { whatIf: true },
    );
    expect(preview.changes.join('\n')).toMatch(
      /move self-signed certificate CN=SRV01\.corp\.example .* to PSRemedyBackup/,
    );
    expect(preview.changes.join('\n')).toMatch(/restart TermService/);
  });
});

describe('moving the listener back to the client port', () => {
  let path: string;
  beforeAll(async () => {
    path = await writeScenarioState('wrong-port', (s) => {
      for (const r of s.firewall.rules)
        if (r.name.startsWith('RemoteDesktop-UserMode-In-')) r.localPort = '3390';
    });
  });
  afterAll(async () => {
    await removeState(path);
  });

  it('moves the UDP rule with the TCP rule, and the undo moves both back', async () => {
    await ps.useState(path);
    const udpPort = async () =>
      (await readComparableState(path)) as {
        firewall: { rules: Array<{ name: string; localPort: string }> };
      };
    const applied = await ps.result<ApplyResult>('Reset-RdpPortNumber', { Port: 3389 });
    expect(applied.changes).toContain(
      'set the local port of firewall rule RemoteDesktop-UserMode-In-UDP (UDP) from 3390 to 3389',
    );
    const ports = (await udpPort()).firewall.rules
      .filter((r) => r.name.startsWith('RemoteDesktop-UserMode-In-'))
      .map((r) => r.localPort);
    expect(ports).toEqual(['3389', '3389']);
    await ps.result<ApplyResult>('Restore-RdpPortNumber', { Port: 3389, Before: applied.before });
    const restored = (await udpPort()).firewall.rules
      .filter((r) => r.name.startsWith('RemoteDesktop-UserMode-In-'))
      .map((r) => r.localPort);
    expect(restored).toEqual(['3390', '3390']);
  });
});

describe('adapters that are not on RDP path', () => {
  let path: string;
  beforeAll(async () => {
    path = await writeScenarioState('spare-nic-disabled', (s) => {
      s.netAdapters.push({
        name: 'Ethernet 2',
        interfaceDescription: 'Spare port',
        ifIndex: 9,
        status: 'Disconnected',
        macAddress: 'A0-36-9F-11-22-34',
        cableConnected: false,
      });
    });
  });
  afterAll(async () => {
    await removeState(path);
  });

  it('are no cause, and the reset leaves the disabled and the unplugged port alone', async () => {
    await ps.useState(path);
    const before = await readFile(path, 'utf8');
    const diagnosis = await ps.result<{ pathUp: boolean; suspects: string[]; findings: Finding[] }>(
      'Test-RdpNetAdapter',
      { ClientAddress: '192.168.10.20' },
    );
    expect(diagnosis).toMatchObject({ pathUp: true, suspects: [] });
    expect(namedCauses(diagnosis.findings)).toEqual([]);
    const test = await ps.result<TestResult>('Test-RdpNetAdapterState', { ClientAddress: '192.168.10.20' });
    expect(test.compliant, test.reason).toBe(true);
    const applied = await ps.result<ApplyResult>('Reset-RdpNetAdapter', { ClientAddress: '192.168.10.20' });
    expect(applied.changes).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});

describe.each([
  [
    'firewall-gpo-block',
    /Block rule 'Block Remote Desktop \(Server Hardening\)' from Group Policy .*psremedy will not override policy/,
  ],
  [
    'firewall-gpo-no-local-rules',
    /does not apply local firewall rules on the Domain profile \(AllowLocalFirewallRules = False\)/,
  ],
])('a firewall that Group Policy closes (%s)', (scenario, reason) => {
  let path: string;
  beforeAll(async () => {
    path = await writeScenarioState(scenario);
  });
  afterAll(async () => {
    await removeState(path);
  });

  it('is not compliant, says why psremedy cannot fix it, and the apply refuses without changing anything', async () => {
    await ps.useState(path);
    const before = await readFile(path, 'utf8');
    const params = { RemoteAddress: 'Any', ClientAddress: '192.168.10.20' };
    const test = await ps.result<TestResult & { cannotFix: string }>('Test-RdpFirewallState', params);
    expect(test.compliant).toBe(false);
    expect(test.cannotFix).toMatch(reason);
    const applied = await ps.run('Enable-RdpFirewallRule', params);
    expect(applied.status).toBe('failed');
    expect(applied.error?.message).toMatch(reason);
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});
