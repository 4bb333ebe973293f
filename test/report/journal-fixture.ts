import type { JournalRecord, NewJournalRecord } from '../../src/engine/journal-records.js';

/** Stamps records as the journal would (v, seq, at one second apart). */
export function stamp(records: NewJournalRecord[]): JournalRecord[] {
  const t0 = Date.parse('2026-11-25T10:00:00Z');
  return records.map(
    (r, i) => ({ ...r, v: 1, seq: i + 1, at: new Date(t0 + i * 1000).toISOString() }) as JournalRecord,
  );
}

const script = (path: string) => ({ path, sha256: 'ab'.repeat(32), text: 'param($Before) $Before' });

/** A run that diagnosed two causes, fixed the firewall, then rolled back the cert fix after it failed verify. */
export function rolledBackRun(): NewJournalRecord[] {
  return [
    {
      type: 'run-start',
      runId: '20261125-100000-ab12',
      playbook: {
        file: '/pb/rdp.yaml',
        name: 'rdp-0x904',
        title: 'Remote Desktop fails with 0x904',
        sha256: 'cd'.repeat(32),
      },
      scripts: { '/ps/Test-RdpPort.ps1': 'ef'.repeat(32) },
      params: { ComputerName: 'SRV01' },
      secretParams: ['Password'],
      targets: { client: { kind: 'local' }, target: { kind: 'ssh', hostName: 'SRV01', userName: 'admin' } },
      options: { check: false, noRollback: false, yes: true, step: false },
      psremedyVersion: '0.1.0',
      pid: 42,
      hostName: 'ws01',
      userName: 'alice',
    },
    {
      type: 'step-start',
      stepId: 'tcp',
      kind: 'diagnose',
      title: 'Can the client reach the RDP port?',
      on: 'client',
      phase: 'diagnose',
    },
    {
      type: 'step-end',
      stepId: 'tcp',
      kind: 'diagnose',
      phase: 'diagnose',
      status: 'ok',
      durationMs: 120,
      findings: [
        {
          cause: 'firewall-closed',
          confidence: 0.7,
          evidence: 'TCP 3389 timed out <script>alert(1)</script>',
        },
      ],
    },
    {
      type: 'causes',
      ranked: [
        {
          cause: 'firewall-closed',
          title: 'The inbound Remote Desktop firewall rule is disabled',
          confidence: 0.91,
          agreeing: 2,
          detected: true,
          evidence: [
            { stepId: 'tcp', confidence: 0.7, evidence: 'TCP 3389 timed out <script>alert(1)</script>' },
          ],
        },
        {
          cause: 'cert-expired',
          title: 'The listener certificate expired',
          confidence: 0.6,
          agreeing: 1,
          detected: true,
          evidence: [],
        },
        { cause: 'dns-mismatch', title: 'DNS', confidence: 0, agreeing: 0, detected: false, evidence: [] },
      ],
    },
    {
      type: 'step-start',
      stepId: 'firewall',
      kind: 'fix',
      title: 'Open the firewall rule',
      on: 'target',
      phase: 'fix',
    },
    { type: 'test', stepId: 'firewall', compliant: false, state: { enabled: false } },
    { type: 'decision', stepId: 'firewall', decision: 'apply', by: 'yes' },
    {
      type: 'intent',
      stepId: 'firewall',
      title: 'Open the firewall rule',
      on: 'target',
      risk: 'medium',
      fixes: ['firewall-closed'],
      params: {},
      before: { enabled: false },
      test: script('/ps/Test-RdpFirewallState.ps1'),
      apply: { path: '/ps/Enable-RdpFirewallRule.ps1', sha256: 'aa'.repeat(32) },
      undo: script('/ps/Restore-RdpFirewallRule.ps1'),
      timeoutMs: 60000,
    },
    {
      type: 'applied',
      stepId: 'firewall',
      changed: true,
      before: { enabled: false },
      after: { enabled: true },
      durationMs: 80,
    },
    { type: 'verify', stepId: 'firewall', compliant: true, state: { enabled: true } },
    { type: 'step-end', stepId: 'firewall', kind: 'fix', phase: 'fix', status: 'changed', durationMs: 300 },
    {
      type: 'step-start',
      stepId: 'cert',
      kind: 'fix',
      title: 'Renew the certificate',
      on: 'target',
      phase: 'fix',
    },
    {
      type: 'intent',
      stepId: 'cert',
      title: 'Renew the certificate',
      on: 'target',
      risk: 'high',
      fixes: ['cert-expired'],
      params: {},
      before: { thumbprint: 'OLD' },
      test: script('/ps/Test-RdpCertificateState.ps1'),
      apply: { path: '/ps/Repair-RdpCertificate.ps1', sha256: 'bb'.repeat(32) },
      undo: script('/ps/Restore-RdpCertificate.ps1'),
      timeoutMs: 60000,
    },
    {
      type: 'applied',
      stepId: 'cert',
      changed: true,
      before: { thumbprint: 'OLD' },
      after: { thumbprint: 'NEW' },
      durationMs: 90,
    },
    { type: 'verify', stepId: 'cert', compliant: false, state: { thumbprint: 'NEW' } },
    {
      type: 'step-end',
      stepId: 'cert',
      kind: 'fix',
      phase: 'fix',
      status: 'failed',
      durationMs: 400,
      reason: 'verify did not pass',
    },
    { type: 'rollback-start', by: 'run', reason: 'cert failed its verify', steps: ['cert', 'firewall'] },
    { type: 'undo-start', stepId: 'cert' },
    { type: 'undo-end', stepId: 'cert', status: 'rolledBack', state: { thumbprint: 'OLD' } },
    { type: 'undo-start', stepId: 'firewall' },
    {
      type: 'undo-end',
      stepId: 'firewall',
      status: 'revertUnverified',
      state: { enabled: true },
      note: 'still enabled after undo',
    },
    { type: 'rollback-end', status: 'revertUnverified' },
    {
      type: 'run-end',
      outcome: 'rolledBack',
      counts: {
        ok: 1,
        changed: 0,
        skipped: 0,
        failed: 1,
        rolledBack: 1,
        revertUnverified: 1,
        rollbackFailed: 0,
      },
      remaining: ['firewall-closed', 'cert-expired'],
      fixed: [],
      durationMs: 21000,
    },
  ];
}
