/**
 * Two rules exist in two languages: the effective RDP setting (Group Policy, else RDP-Tcp, else the
 * default) and the listener certificate choice (bound thumbprint, else the policy template's, else
 * the newest self-signed one). The RDP listener judges by src/lab/rdp/rdp-server-model.ts; scripts
 * read them through the lab module's Win32_TSGeneralSetting (lab/module/areas/cim.ps1). Every
 * shipped scenario, and a few states made here, must read the same through both.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostState } from '../../src/lab/host-state.js';
import { findListenerCertificate, modelRdpServer } from '../../src/lab/rdp/rdp-server-model.js';
import { listScenarioNames } from '../../src/lab/scenario/scenario-loader.js';
import { removeState, writeScenarioState } from '../rdp/support/lab-state.js';
import { openScriptSession, type ScriptSession } from '../rdp/support/script-session.js';

const POLICY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services';
const RDP_TCP = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp';

/** Reads Win32_TSGeneralSetting as a script on the lab host sees it. */
const READ_CIM = [
  '$s = Get-CimInstance -Namespace root/cimv2/TerminalServices -ClassName Win32_TSGeneralSetting',
  '[pscustomobject]@{ securityLayer = [int]$s.SecurityLayer; nlaRequired = [int]$s.UserAuthenticationRequired -eq 1; certificate = [string]$s.CertificateName; thumbprint = ([string]$s.SSLCertificateSHA1Hash).ToUpperInvariant() }',
].join('\n');

/** The same facts from the TypeScript model, in the CIM class's terms. */
function readModel(state: HostState) {
  const model = modelRdpServer(state);
  const cert = findListenerCertificate(state);
  return {
    securityLayer: model.securityLayer,
    nlaRequired: model.nlaRequired,
    certificate: cert ? cert.subject.replace(/^CN=/, '') : '',
  };
}

/** States beyond the scenarios: each rule's branches the scenarios may not reach. */
const variants: Array<[string, (s: HostState) => void]> = [
  ['policy SecurityLayer 0 over RDP-Tcp 2', (s) => setDword(s, POLICY, 'SecurityLayer', 0, RDP_TCP, 2)],
  ['policy NLA 1 over RDP-Tcp 0', (s) => setDword(s, POLICY, 'UserAuthentication', 1, RDP_TCP, 0)],
  [
    'no SecurityLayer or NLA values at all (the defaults)',
    (s) => dropValues(s, ['SecurityLayer', 'UserAuthentication']),
  ],
];

function setDword(s: HostState, key1: string, name: string, v1: number, key2: string, v2: number): void {
  s.registry[key1] = { ...(s.registry[key1] ?? {}), [name]: { type: 'DWord', value: v1 } };
  s.registry[key2] = { ...(s.registry[key2] ?? {}), [name]: { type: 'DWord', value: v2 } };
}

function dropValues(s: HostState, names: string[]): void {
  for (const key of [POLICY, RDP_TCP]) for (const n of names) delete s.registry[key]?.[n];
}

const cases: Array<[string, string, ((s: HostState) => void) | undefined]> = [
  ...(await listScenarioNames()).map((name) => [name, name, undefined] as [string, string, undefined]),
  ...variants.map(
    ([title, change]) => [title, 'healthy', change] as [string, string, (s: HostState) => void],
  ),
];

/** What the two rules read: the RDP registry keys and the certificates, newest first, per store. */
function ruleInputs(state: HostState): string {
  const certs = Object.entries(state.certificates)
    .flatMap(([store, list]) => list.map((c) => ({ c, store: store.toLowerCase() })))
    .sort((a, b) => Date.parse(b.c.notBefore) - Date.parse(a.c.notBefore))
    .map(({ c, store }) => [store, c.subject, c.template, c.selfSigned, c.hasPrivateKey]);
  return JSON.stringify([state.registry[POLICY], state.registry[RDP_TCP], certs]);
}

// Scenarios that change neither rule's inputs (a closed firewall, a stopped service) are one case.
const paths = await Promise.all(cases.map(([, scenario, change]) => writeScenarioState(scenario, change)));
const distinct = new Map<string, { title: string; path: string; state: HostState }>();
for (const [i, [title]] of cases.entries()) {
  const path = paths[i] as string;
  const state = JSON.parse(await readFile(path, 'utf8')) as HostState;
  const key = ruleInputs(state);
  const seen = distinct.get(key);
  if (seen) seen.title = `${seen.title}, ${title}`;
  else distinct.set(key, { title, path, state });
}

type CimView = ReturnType<typeof readModel> & { thumbprint: string };
const cim = new Map<string, CimView>();

beforeAll(async () => {
  const ps: ScriptSession = await openScriptSession({ lab: true });
  try {
    for (const { path } of distinct.values()) {
      const useState = `$env:PSREMEDY_LAB_STATE = '${path.replace(/'/g, "''")}'`;
      cim.set(path, (await ps.runText(`${useState}\n${READ_CIM}`)).result as CimView);
    }
  } finally {
    await ps.close();
  }
}, 60_000);
afterAll(async () => {
  await Promise.all(paths.map((p) => removeState(p)));
});

describe('the RDP rules in TypeScript and in the lab module', () => {
  it('are compared on more than a handful of distinct states', () => {
    expect(distinct.size).toBeGreaterThan(8);
  });

  it.each([...distinct.values()].map((d) => [d.title, d] as const))(
    'agree on %s',
    (_title, { path, state }) => {
      const view = cim.get(path) as CimView;
      expect({
        securityLayer: view.securityLayer,
        nlaRequired: view.nlaRequired,
        certificate: view.certificate,
      }).toEqual(readModel(state));
      const cert = findListenerCertificate(state);
      if (cert) expect(view.thumbprint).toBe(cert.thumbprint.toUpperCase());
    },
  );
});
