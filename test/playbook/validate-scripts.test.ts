import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { PowerShellError } from '../../src/core/errors.js';

const bin = fileURLToPath(new URL('../../bin/psremedy.js', import.meta.url));
const broken = fileURLToPath(new URL('../fixtures/playbooks/broken-script.yaml', import.meta.url));
const brokenModule = fileURLToPath(new URL('../fixtures/playbooks/broken-module.yaml', import.meta.url));
const example = fileURLToPath(new URL('../../playbooks/example-settings.yaml', import.meta.url));
const dotSourcing = fileURLToPath(
  new URL('../fixtures/approval/dot-sourcing/playbooks/settings.yaml', import.meta.url),
);

const parseScripts = vi.hoisted(() => ({ fail: false }));
vi.mock('../../src/powershell/parse-scripts.js', async (original) => {
  const real = await original<typeof import('../../src/powershell/parse-scripts.js')>();
  return {
    ...real,
    parseScripts: (files: string[]) => {
      if (parseScripts.fail) throw new PowerShellError('no PowerShell engine: dotnet is not installed');
      return real.parseScripts(files);
    },
  };
});

describe('psremedy validate with PowerShell parsing the scripts', () => {
  it("reports a script's syntax errors and PowerShell-7-only syntax at the script's line:col, exit 2", () => {
    const r = spawnSync(process.execPath, [bin, 'validate', broken], { encoding: 'utf8', cwd: '/' });
    expect(r.status).toBe(2);
    const lines = r.stdout.split('\n');
    const script = broken.replace('broken-script.yaml', 'scripts/Test-Broken.ps1').slice(1);
    expect(lines).toContain(
      `${script}:4:17: PowerShell syntax error (MissingEndParenthesisAfterStatement): Missing closing ')' after expression in 'if' statement.`,
    );
    expect(lines.some((l) => l.startsWith(`${script}:7:`) && l.includes('Windows PowerShell 5.1'))).toBe(
      true,
    );
  }, 600_000);

  it('refuses scripts that load code from files (dot-sourcing, Import-Module of a path) at their line:col, exit 2', () => {
    const r = spawnSync(process.execPath, [bin, 'validate', dotSourcing], { encoding: 'utf8', cwd: '/' });
    expect(r.status).toBe(2);
    const scripts = dotSourcing.replace('playbooks/settings.yaml', 'scripts/').slice(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(
      `${scripts}Set-Setting.ps1:19:1: '. $PSScriptRoot\\lib\\Common.ps1' dot-sources a file; psremedy runs each script from its approved text, so a file it loads was never approved; put the helper's code into the script, or into a shared module declared as ps-scripts/lib/README.md shows`,
    );
    expect(
      lines.some((l) => l.startsWith(`${scripts}Set-Setting.ps1:18:`) && l.includes('dot-sources a file')),
    ).toBe(true);
    expect(
      lines.some(
        (l) => l.startsWith(`${scripts}Test-Setting.ps1:18:1:`) && l.includes('imports a module from a file'),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith(`${scripts}Test-Settings.ps1:14:1:`))).toBe(true);
  }, 600_000);

  it("reports a declared module's syntax errors at the module's line:col", async () => {
    const { validatePlaybooks } = await import('../../src/cli/commands/validate/validate-playbooks.js');
    const out: string[] = [];
    const code = await validatePlaybooks(
      [brokenModule],
      { json: false, parseScripts: true },
      { out: (t) => out.push(t), err: (t) => out.push(t) },
    );
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/scripts\/lib\/BrokenModule\.psm1:3:\d+: PowerShell syntax error/);
  }, 600_000);

  it('passes the example playbook, whose scripts parse cleanly', () => {
    const r = spawnSync(process.execPath, [bin, 'validate', '--json', example], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).scriptParse).toEqual({ parsed: true });
  }, 600_000);

  it('treats a missing PowerShell engine as a warning, not an error', async () => {
    parseScripts.fail = true;
    const { validatePlaybooks } = await import('../../src/cli/commands/validate/validate-playbooks.js');
    const out: string[] = [];
    const err: string[] = [];
    const code = await validatePlaybooks(
      [example],
      { json: false, parseScripts: true },
      {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
      },
    );
    expect(code).toBe(0);
    expect(err).toEqual([
      "warning: scripts were not checked by PowerShell's parser: no PowerShell engine: dotnet is not installed",
    ]);
    expect(out).toEqual([`ok ${example} (2 steps, 4 scripts)`]);
  });
});
