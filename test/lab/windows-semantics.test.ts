/**
 * The lab's RDP server follows documented Windows behaviour (lab/STATE.md): firewall precedence,
 * profiles per interface, rule scopes, policy stores, adapter link, listener switches, Schannel
 * defaults and the certificate TLS presents. Each scenario is judged by the listener's model.
 */
import { describe, expect, it } from 'vitest';
import {
  findListenerCertificate,
  findServedCertificate,
  modelRdpServer,
} from '../../src/lab/rdp/rdp-server-model.js';
import { materializeCertificates } from '../../src/lab/scenario/materialize-state.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';

async function modelOf(name: string) {
  const loaded = await loadScenario(name);
  await materializeCertificates(loaded.state, loaded.pendingCertificates);
  return { state: loaded.state, model: modelRdpServer(loaded.state) };
}

describe('the lab RDP server on Windows semantics', () => {
  it.each([
    ['healthy', 'listening', undefined],
    ['firewall-block-rule', 'dropped', 'firewall-closed'],
    ['firewall-profile-mismatch', 'dropped', 'firewall-closed'],
    ['firewall-gpo-block', 'dropped', 'firewall-closed'],
    ['firewall-gpo-no-local-rules', 'dropped', 'firewall-closed'],
    ['firewall-gpo-allow', 'listening', undefined],
    ['firewall-profile-off', 'listening', undefined],
    ['firewall-default-allow', 'listening', undefined],
    ['firewall-scoped-to-client', 'listening', undefined],
    ['firewall-scoped-elsewhere', 'dropped', 'firewall-closed'],
    ['firewall-block-other-subnet', 'listening', undefined],
    ['firewall-authenticated-only', 'dropped', 'firewall-closed'],
    ['firewall-multi-nic', 'listening', undefined],
    ['firewall-interface-scoped', 'dropped', 'firewall-closed'],
    ['spare-nic-disconnected', 'listening', undefined],
    ['spare-nic-disabled', 'listening', undefined],
    ['listener-disabled', 'refused', 'listener-disabled'],
    ['listener-wrong-adapter', 'refused', 'listener-on-other-adapter'],
  ])('%s: the connection is %s (%s)', async (name, kind, reason) => {
    const { model } = await modelOf(name);
    expect(model.reachability.kind).toBe(kind);
    expect((model.reachability as { reason?: string }).reason).toBe(reason);
  });

  it.each([
    ['healthy', ['TLSv1', 'TLSv1.1', 'TLSv1.2']],
    ['tls-disabled', ['TLSv1', 'TLSv1.1']],
    ['tls-legacy-disabled', ['TLSv1.2']],
  ])('%s: Schannel offers %j (absent keys keep the Server 2022 defaults)', async (name, versions) => {
    const { model } = await modelOf(name);
    expect(model.tls?.kind).toBe('serve');
    expect((model.tls as { versions: string[] }).versions).toEqual(versions);
  });

  it('has no TLS version to offer when 1.0, 1.1 and 1.2 are all disabled', async () => {
    const { model } = await modelOf('tls-all-disabled');
    expect(model.tls).toEqual({ kind: 'fail', reason: 'no-tls-version' });
  });

  it('turns TLS 1.0/1.1 off by default after build 20348 (the deprecation), keeps 1.2', async () => {
    const { state } = await modelOf('healthy');
    state.registry['HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion']!.CurrentBuild = {
      type: 'String',
      value: '26100',
    };
    expect((modelRdpServer(state).tls as { versions: string[] }).versions).toEqual(['TLSv1.2']);
  });

  it('serves the self-signed certificate when the custom-bound one has an unreadable key (event 1055)', async () => {
    const { state, model } = await modelOf('cert-custom-key-unreadable');
    const bound = findListenerCertificate(state);
    const served = findServedCertificate(state);
    expect(bound?.selfSigned).toBe(false);
    expect(served?.selfSigned).not.toBe(false);
    expect(model.tls).toMatchObject({ kind: 'serve', thumbprint: served?.thumbprint });
  });

  it.each([
    ['cert-key-acl-deny', { kind: 'fail', reason: 'key-unreadable' }],
    ['cert-key-generic-read', { kind: 'serve' }],
    ['cert-key-unreadable', { kind: 'fail', reason: 'key-unreadable' }],
  ])('%s: the key ACL decides TLS (Deny first, generic rights mapped)', async (name, tls) => {
    const { model } = await modelOf(name);
    expect(model.tls).toMatchObject(tls);
  });

  it('uses the Group Policy template certificate from My (SSLCertificateSHA1HashType 2)', async () => {
    const { state } = await modelOf('cert-gpo-template');
    expect(findListenerCertificate(state)?.template).toBe('RDPServerAuth');
  });
});
