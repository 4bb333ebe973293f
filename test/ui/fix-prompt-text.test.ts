import { describe, expect, it } from 'vitest';
import type { FixPreview } from '../../src/engine/decider.js';
import { createColors } from '../../src/ui/colors.js';
import { describeFix } from '../../src/ui/prompt-decider.js';
import { visibleLength } from '../../src/ui/wrap-text.js';

const firewallState = {
  portNumber: 3389,
  builtIn: {
    name: 'RemoteDesktop-UserMode-In-TCP',
    exists: true,
    enabled: false,
    action: 'Allow',
    localPort: '3389',
  },
  custom: {
    name: 'PSRemedy-RemoteDesktop-In-TCP',
    exists: false,
    enabled: false,
    action: null,
    localPort: null,
  },
};

const preview = {
  step: {
    id: 'open_firewall',
    title: 'Open the RDP port in Windows Firewall',
    kind: 'fix',
    on: 'target',
    risk: 'medium',
    undo: '../ps-scripts/Restore-RdpFirewallRule.ps1',
    confirm:
      "Enables the built-in rule RemoteDesktop-UserMode-In-TCP, or creates a rule for the listener's port open to Any.",
  },
  causes: [
    {
      cause: 'firewall-closed',
      title: 'Windows Firewall does not allow the RDP port',
      confidence: 0.97,
      agreeing: 3,
      detected: true,
      evidence: [
        {
          stepId: 'firewall',
          confidence: 0.95,
          evidence:
            'The firewall rule RemoteDesktop-UserMode-In-TCP (Remote Desktop - User Mode (TCP-In)) is disabled and no other enabled inbound rule allows TCP port 3389.',
        },
      ],
    },
  ],
  state: firewallState,
  summary: ['Firewall rule RemoteDesktop-UserMode-In-TCP is disabled.'],
  whatIf: [
    'What if: Performing the operation "enable firewall rule RemoteDesktop-UserMode-In-TCP (inbound TCP 3389)" on target "RemoteDesktop-UserMode-In-TCP".',
  ],
} as unknown as FixPreview;

const plain = createColors({ isTTY: false });

describe('the fix prompt text', () => {
  it("shows the script's summary and the state as labelled lines, not JSON, within 80 columns", () => {
    const text = describeFix(preview, false, plain, 80);
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes('now:'))).toBe(
      '  now: Firewall rule RemoteDesktop-UserMode-In-TCP is disabled.',
    );
    expect(text).toMatch(/^ {7}portNumber: 3389$/m);
    expect(text).toMatch(/^ {7}builtIn: name RemoteDesktop-UserMode-In-TCP, exists yes, enabled no, a…$/m);
    expect(text).toMatch(/^ {7}custom: name PSRemedy-RemoteDesktop-In-TCP, exists no, enabled no$/m);
    expect(text).toMatch(/97%, 3\s+findings/);
    expect(text).not.toContain('finding(s)');
    expect(text).not.toMatch(/[{}"]portNumber/);
    for (const line of lines) expect(visibleLength(line), line).toBeLessThanOrEqual(78);
  });

  it('keeps the JSON for details, wrapped rather than cut', () => {
    const text = describeFix(preview, true, plain, 80);
    expect(text).toContain('state (JSON):');
    expect(text).toContain('"enabled": false');
    expect(text).toContain('allows TCP port 3389.');
    expect(text).toMatch(/exists yes, enabled no,\n {9}action Allow, localPort 3389\n/);
    expect(text).toMatch(/on target\n {6}"RemoteDesktop-UserMode-In-TCP"\.\n/);
    for (const line of text.split('\n').filter((l) => !l.trimStart().startsWith('"')))
      expect(visibleLength(line), line).toBeLessThanOrEqual(78);
  });

  it('falls back to the state lines when the script gives no summary', () => {
    const text = describeFix({ ...preview, summary: [] }, false, plain, 80);
    expect(text).toMatch(/^ {2}now: portNumber: 3389$/m);
  });
});
