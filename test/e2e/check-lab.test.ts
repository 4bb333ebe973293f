/**
 * A look-only run never changes anything: validate refuses a fix whose apply or undo script does
 * not support ShouldProcess, and when such a script is swapped in after validation, `--check` on a
 * lab host leaves its state file byte-equal.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, findRun, startCli, waitForLabStart } from './run-cli-support.js';

const ROOT = new URL('../../', import.meta.url).pathname;

// Opens the firewall rule for real: without SupportsShouldProcess, -WhatIf is only a stray argument.
const UNSAFE_APPLY = `param([string] $RemoteAddress = 'Any')
# psremedy test: no CmdletBinding, so nothing stops this under -WhatIf
Enable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP'
[pscustomobject]@{ changed = $true; before = $null; after = $null }
`;
const UNSAFE_UNDO = `[CmdletBinding()]
param([string] $RemoteAddress = 'Any', $Before)
Disable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP'
`;

/** A copy of the open-rdp-firewall playbook and the scripts, to swap scripts in. */
function copyPlaybook() {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-check-'));
  cpSync(join(ROOT, 'ps-scripts'), join(dir, 'ps-scripts'), { recursive: true });
  cpSync(join(ROOT, 'playbooks/open-rdp-firewall.yaml'), join(dir, 'playbooks/open-rdp-firewall.yaml'));
  return {
    dir,
    playbook: join(dir, 'playbooks/open-rdp-firewall.yaml'),
    script: (name: string) => join(dir, 'ps-scripts', name),
    home: join(dir, 'home'),
  };
}

describe('look-only runs and ShouldProcess', () => {
  it('validate refuses an apply or undo script without SupportsShouldProcess, at its param block', {
    timeout: 300_000,
  }, async () => {
    const c = copyPlaybook();
    const safe = await cli(['validate', c.playbook], c.dir);
    expect(safe.stdout).toMatch(/^ok /m);
    expect(safe.status).toBe(0);

    writeFileSync(c.script('Enable-RdpFirewallRule.ps1'), UNSAFE_APPLY);
    writeFileSync(c.script('Restore-RdpFirewallRule.ps1'), UNSAFE_UNDO);
    const r = await cli(['validate', c.playbook], c.dir);
    expect(r.status).toBe(2);
    // The apply script has no CmdletBinding: its param block (line 1); the undo's says CmdletBinding() only.
    expect(r.stdout).toMatch(
      /Enable-RdpFirewallRule\.ps1:1:1: steps\.2\.apply: the apply script of fix step open_firewall does not support ShouldProcess \(the param block has no \[CmdletBinding\(SupportsShouldProcess\)\]\)/,
    );
    expect(r.stdout).toMatch(
      /Restore-RdpFirewallRule\.ps1:1:1: steps\.2\.undo: the undo script of fix step open_firewall does not support ShouldProcess \(\[CmdletBinding\(\)\] does not say SupportsShouldProcess\)/,
    );
    expect(r.stdout).toMatch(/2 problem\(s\) in 1 of 1 playbook/);
  });

  it('--check --diff with the apply script swapped after validation leaves the lab state byte-equal', {
    timeout: 300_000,
  }, async () => {
    const c = copyPlaybook();
    expect((await cli(['validate', c.playbook], c.dir)).status).toBe(0);
    writeFileSync(c.script('Enable-RdpFirewallRule.ps1'), UNSAFE_APPLY);

    const started = startCli(
      ['run', c.playbook, '--lab', 'firewall-closed', '--check', '--diff', '--output', 'ndjson'],
      c.home,
    );
    const { statePath, original } = await waitForLabStart(c.home);
    const ran = await started.done;
    const events = ran.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'step.diff',
        stepId: 'open_firewall',
        noPreview: expect.stringMatching(/Enable-RdpFirewallRule\.ps1 does not declare/),
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'step.end',
        stepId: 'open_firewall',
        reason: expect.stringMatching(/^check mode: would change \(no preview available/),
      }),
    );
    expect(readFileSync(statePath).equals(original)).toBe(true);
    const journal = findRun(c.home)?.records ?? [];
    expect(journal.some((r) => r.type === 'intent' || r.type === 'applied')).toBe(false);
  });
});
