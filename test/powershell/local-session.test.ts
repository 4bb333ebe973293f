import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerShellError } from '../../src/core/errors.js';
import { openSession } from '../../src/powershell/open-session.js';
import type { PowerShellExecutable } from '../../src/powershell/powershell-process.js';
import type { Session } from '../../src/powershell/types.js';
import {
  CANARY_SCRIPT,
  ECHO_SCRIPT,
  HOSTILE_STRINGS,
  HOSTILE_VALUES,
  ONE_MEGABYTE,
} from './hostile-values.js';
import { findTestPowerShell } from './test-powershell.js';

describe('a local PowerShell session (real PowerShell)', () => {
  let powershell: PowerShellExecutable;
  let session: Session;
  let dir: string;

  beforeAll(async () => {
    powershell = await findTestPowerShell();
    dir = mkdtempSync(join(tmpdir(), 'psremedy-local-'));
    writeFileSync(join(dir, 'startup.ps1'), 'function Get-PsRemedyTestGreeting { "hello from startup" }\n');
    writeFileSync(join(dir, 'Startup.psm1'), 'function Get-PsRemedyTestModule { "hello from module" }\n');
    session = await openSession(
      { kind: 'local' },
      {
        powershell,
        env: { PSREMEDY_TEST_MARKER: 'from-env' },
        startupScripts: [join(dir, 'startup.ps1'), join(dir, 'Startup.psm1')],
      },
    );
  });
  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (script: string, params: Record<string, unknown> = {}, timeoutMs = 30_000) =>
    session.run({ script, params, timeoutMs });

  describe('parameters stay data', () => {
    it.each(Object.entries(HOSTILE_STRINGS))('passes the %s string byte for byte', async (_name, value) => {
      const outcome = await run(ECHO_SCRIPT, { Value: value });
      expect(outcome.status).toBe('ok');
      expect(outcome.result).toEqual({ value, type: 'System.String', length: value.length });
    });

    it('never executes a parameter value', async () => {
      for (const value of Object.values(HOSTILE_STRINGS)) await run(ECHO_SCRIPT, { Value: value });
      expect((await run(CANARY_SCRIPT)).result).toBe('clean');
    });

    it.each(HOSTILE_VALUES)('passes $name with its type', async ({ value, type }) => {
      const outcome = await run(ECHO_SCRIPT, { Value: value });
      expect(outcome.status).toBe('ok');
      expect(outcome.result).toEqual({ value, type, length: -1 });
    });

    it('passes a 1 MB string intact', async () => {
      const outcome = await run(ECHO_SCRIPT, { Value: ONE_MEGABYTE });
      expect(outcome.status).toBe('ok');
      const result = outcome.result as { value: string; length: number };
      expect(result.length).toBe(ONE_MEGABYTE.length);
      expect(result.value === ONE_MEGABYTE).toBe(true);
    });

    it('keeps a date-like string a string, and a JavaScript Date its ISO text', async () => {
      const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
      const outcome = await run(
        'param($At, $Text) [pscustomobject]@{ at = $At; atType = $At.GetType().Name; text = $Text }',
        {
          At: at,
          Text: '2024-01-02T03:04:05Z',
        },
      );
      expect(outcome.result).toEqual({
        at: at.toISOString(),
        atType: 'String',
        text: '2024-01-02T03:04:05Z',
      });
    });

    it('binds typed parameters from data', async () => {
      const script =
        'param([int]$Port, [string[]]$Names, [switch]$Force, [hashtable]$Options) [pscustomobject]@{ p = $Port + 1; n = $Names.Count; f = [bool]$Force; o = $Options.key }';
      const outcome = await run(script, {
        Port: 3389,
        Names: ['a', 'b'],
        Force: true,
        Options: { key: 'v' },
      });
      expect(outcome.result).toEqual({ p: 3390, n: 2, f: true, o: 'v' });
    });
  });

  describe('errors', () => {
    it.each([
      {
        name: 'a terminating .NET exception',
        script: 'param()\n$x = 1\nthrow [System.InvalidOperationException]::new("bad state")',
        expected: { message: 'bad state', type: 'System.InvalidOperationException', line: 3 },
      },
      {
        name: 'a non-terminating error with -ErrorAction Stop',
        script: 'param()\n\nGet-Item -LiteralPath "/nonexistent/psremedy-test" -ErrorAction Stop',
        expected: {
          type: 'System.Management.Automation.ItemNotFoundException',
          category: 'ObjectNotFound',
          fullyQualifiedErrorId: 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand',
          line: 3,
        },
      },
      {
        name: 'Write-Error with -ErrorAction Stop',
        script: 'param()\nWrite-Error -Message "the rule is missing" -ErrorAction Stop',
        expected: {
          message: 'the rule is missing',
          type: 'Microsoft.PowerShell.Commands.WriteErrorException',
          line: 2,
        },
      },
      {
        name: 'a throw of a custom object',
        script: 'param()\n\n\nthrow [pscustomobject]@{ Code = "E42"; Detail = "no cert" }',
        expected: { thrownObject: { Code: 'E42', Detail: 'no cert' }, line: 4 },
      },
      {
        name: 'a parse error',
        script: 'param()\nif ($true) {\n  "x"\n',
        expected: { type: 'System.Management.Automation.ParseException', line: 2 },
      },
      {
        name: 'an unset variable under strict mode',
        script: 'param()\nSet-StrictMode -Version Latest\n$y = $notSet + 1',
        expected: { fullyQualifiedErrorId: 'VariableIsUndefined', line: 3 },
      },
    ])('reports $name with message, type and line', async ({ script, expected }) => {
      const outcome = await run(script);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatchObject(expected);
      expect(outcome.error?.message.length).toBeGreaterThan(0);
      expect(outcome.error?.type).toBeTruthy();
    });

    it("names the script's own frames in the stack trace, not the envelope's", async () => {
      const outcome = await session.run({
        script: 'param()\nfunction Inner { throw "deep" }\nInner',
        scriptPath: 'ps-scripts/Test-Thing.ps1',
        params: {},
        timeoutMs: 30_000,
      });
      expect(outcome.error?.scriptStackTrace).toContain('ps-scripts/Test-Thing.ps1');
      expect(outcome.error?.scriptStackTrace).toContain('Inner');
      expect(outcome.error?.scriptStackTrace).not.toContain('PsRemedy');
    });

    it('reports a parameter the script does not take as a failure, without a line in the envelope', async () => {
      const outcome = await run('[CmdletBinding()] param([string]$Name) $Name', { Nmae: 'typo' });
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.fullyQualifiedErrorId).toContain('NamedParameterNotFound');
      expect(outcome.error?.line).toBeUndefined();
    });

    it('keeps output and streams written before the error', async () => {
      const outcome = await run('param()\n"first"\nWrite-Warning "careful"\nthrow "later"');
      expect(outcome).toMatchObject({
        status: 'failed',
        result: 'first',
        warnings: ['careful'],
        error: { message: 'later', line: 4 },
      });
    });
  });

  describe('streams', () => {
    it('captures warnings, verbose, information and Write-Host apart from the result', async () => {
      const script = [
        '[CmdletBinding()] param()',
        'Write-Verbose "checking the port"',
        'Write-Warning "the rule is disabled"',
        'Write-Information "found 2 rules"',
        'Write-Host "host text"',
        '[pscustomobject]@{ compliant = $false }',
      ].join('\n');
      const outcome = await run(script);
      expect(outcome).toMatchObject({
        status: 'ok',
        result: { compliant: false },
        warnings: ['the rule is disabled'],
        verbose: ['checking the port'],
        information: ['found 2 rules', 'host text'],
      });
      expect(outcome.output).toBeUndefined();
    });

    it('returns the last output object as the result and all of them as output', async () => {
      const outcome = await run('1; "two"; [pscustomobject]@{ three = 3 }');
      expect(outcome.result).toEqual({ three: 3 });
      expect(outcome.output).toEqual([1, 'two', { three: 3 }]);
    });

    it('turns dates and enums in results into ISO text and names', async () => {
      const outcome = await run(
        '[pscustomobject]@{ when = [datetime]::new(2024, 1, 2, 3, 4, 5, [DateTimeKind]::Utc); day = [DayOfWeek]::Monday }',
      );
      expect(outcome.result).toEqual({ when: '2024-01-02T03:04:05.0000000Z', day: 'Monday' });
    });

    it('runs with -WhatIf and captures the "What if:" lines PowerShell prints to its host', async () => {
      const script = [
        '[CmdletBinding(SupportsShouldProcess)] param([string]$Rule)',
        'if ($PSCmdlet.ShouldProcess($Rule, "Enable firewall rule")) { [pscustomobject]@{ changed = $true } }',
        'else { [pscustomobject]@{ changed = $false } }',
      ].join('\n');
      const preview = await session.run({
        script,
        params: { Rule: 'RemoteDesktop-In' },
        timeoutMs: 30_000,
        whatIf: true,
      });
      expect(preview.result).toEqual({ changed: false });
      expect(preview.whatIf).toEqual([
        'What if: Performing the operation "Enable firewall rule" on target "RemoteDesktop-In".',
      ]);
      const real = await run(script, { Rule: 'RemoteDesktop-In' });
      expect(real.result).toEqual({ changed: true });
      expect(real.whatIf).toBeUndefined();
    });
  });

  describe('the session', () => {
    it('loads startup scripts (.ps1 dot-sourced, .psm1 imported) and the extra environment', async () => {
      const outcome = await run(
        '@(Get-PsRemedyTestGreeting; Get-PsRemedyTestModule; $env:PSREMEDY_TEST_MARKER) -join "|"',
      );
      expect(outcome.result).toBe('hello from startup|hello from module|from-env');
    });

    it('keeps global state between requests', async () => {
      await run('$global:psremedyKept = 41');
      expect((await run('$global:psremedyKept + 1')).result).toBe(42);
    });

    it('times out a script that sleeps past its timeout in about the timeout, and a fresh session serves the next', async () => {
      await run('$global:psremedyBeforeTimeout = "set"');
      const started = Date.now();
      const outcome = await run('Start-Sleep -Seconds 30', {}, 1500);
      const elapsed = Date.now() - started;
      expect(outcome).toMatchObject({
        status: 'timedOut',
        sessionReset: true,
        error: { type: 'PsRemedy.Timeout' },
      });
      expect(elapsed).toBeGreaterThanOrEqual(1500);
      expect(elapsed).toBeLessThan(1500 + 3000);
      const next = await run('if ($null -eq $global:psremedyBeforeTimeout) { "fresh" } else { "old" }');
      expect(next).toMatchObject({ status: 'ok', result: 'fresh', sessionReset: false });
      expect((await run('Get-PsRemedyTestGreeting')).result).toBe('hello from startup');
    });

    it('fails the request clearly when PowerShell is killed in the middle of it, and the next works', async () => {
      const pid = (await run('$PID')).result as number;
      const running = run('Start-Sleep -Seconds 30', {}, 60_000);
      await new Promise((r) => setTimeout(r, 500));
      process.kill(pid, 'SIGKILL');
      const outcome = await running;
      expect(outcome.status).toBe('failed');
      expect(outcome.sessionReset).toBe(true);
      expect(outcome.error?.message).toContain('killed by SIGKILL');
      const next = await run('$PID');
      expect(next.status).toBe('ok');
      expect(next.result).not.toBe(pid);
    });
  });

  it('throws PowerShellError naming the startup script that failed', async () => {
    const broken = join(dir, 'broken.ps1');
    writeFileSync(broken, 'throw "the lab module is missing"\n');
    const error = await openSession({ kind: 'local' }, { powershell, startupScripts: [broken] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PowerShellError);
    expect((error as Error).message).toContain('the lab module is missing');
    expect((error as Error).message).toContain(broken);
  });
});
