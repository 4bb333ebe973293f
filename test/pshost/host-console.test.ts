import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_ARGS, listEngines, runEngine } from './run-host.js';

const engines = await listEngines();
const dir = mkdtempSync(join(tmpdir(), 'pshost-console-'));

for (const engine of engines) {
  const exe = engine.path ?? '';
  describe.skipIf(engine.skipReason !== undefined)(
    `${engine.name}${engine.skipReason ? ` (skipped: ${engine.skipReason})` : ''}`,
    () => {
      it('reads -Command - line by line in one runspace, a multi-line statement ending at an empty line', async () => {
        const input = [
          '$n = 40',
          'if ($n -gt 1) {',
          '  $n = $n + 2',
          '}',
          '',
          '"n=$n"',
          '[Console]::Out.WriteLine("direct")',
          '',
        ].join('\n');
        const r = await runEngine(exe, [...BASE_ARGS, '-NoExit', '-Command', '-'], input);
        expect(r.stdout.split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining(['n=42', 'direct']));
        expect(r.stdout.indexOf('n=42')).toBeLessThan(r.stdout.indexOf('direct'));
        expect(r.code).toBe(0);
      });

      it('prints an error with its message and position on stderr and keeps serving', async () => {
        const r = await runEngine(
          exe,
          [...BASE_ARGS, '-NoExit', '-Command', '-'],
          'function f { $a +* }\n"still here"\n',
        );
        expect(r.stderr).toContain("You must provide a value expression following the '+' operator.");
        expect(r.stderr).toMatch(/Line \|\s+1 \|/);
        expect(r.stdout).toContain('still here');
      });

      it('round-trips non-ASCII text through stdin and stdout as UTF-8 whatever LANG says', async () => {
        const text = 'Grüße, 東京, ✓, ǅ';
        const r = await runEngine(exe, [...BASE_ARGS, '-Command', '-'], `$t = '${text}'; $t; $t.Length\n`, {
          LANG: 'C',
          LC_ALL: 'C',
        });
        expect(r.stdout).toBe(`${text}\n${text.length}\n`);
      });

      it('runs -File with named parameters and exits with the code of exit', async () => {
        const script = join(dir, 'named.ps1');
        writeFileSync(
          script,
          'param([string]$Name, [int]$Times = 1)\n1..$Times | ForEach-Object { "hi $Name" }\nexit 3\n',
        );
        const r = await runEngine(exe, [...BASE_ARGS, '-File', script, '-Name', 'Ada', '-Times', '2']);
        expect(r.stdout).toBe('hi Ada\nhi Ada\n');
        expect(r.code).toBe(3);
      });

      it('exits 1 when -Command ends in an unhandled error, and with N on exit N', async () => {
        const thrown = await runEngine(exe, [...BASE_ARGS, '-Command', 'throw "boom"']);
        expect(thrown.code).toBe(1);
        expect(thrown.stderr).toContain('boom');
        const exited = await runEngine(exe, [...BASE_ARGS, '-Command', 'exit 7']);
        expect(exited.code).toBe(7);
      });

      it('has the Utility and Management cmdlets under their module-qualified names', async () => {
        const cmd = [
          '(Get-Command ConvertTo-Json).ModuleName',
          "Microsoft.PowerShell.Management\\Test-Path -LiteralPath '/'",
          "Microsoft.PowerShell.Utility\\ConvertTo-Json -InputObject ([ordered]@{ b = 1; a = 'x' }) -Compress",
        ].join('; ');
        const r = await runEngine(exe, [...BASE_ARGS, '-Command', cmd]);
        expect(r.stdout).toBe('Microsoft.PowerShell.Utility\nTrue\n{"b":1,"a":"x"}\n');
        expect(r.stderr).toBe('');
      });

      it('lets a function override Test-Path and delegate other paths to the module-qualified cmdlet', async () => {
        const cmd = [
          "function Test-Path { param([string]$Path) if ($Path -like 'HKLM:*') { 'lab' } else { Microsoft.PowerShell.Management\\Test-Path -Path $Path } }",
          "Test-Path 'HKLM:\\SOFTWARE'",
          "Test-Path '/'",
          "Test-Path '/no/such/path'",
        ].join('; ');
        const r = await runEngine(exe, [...BASE_ARGS, '-Command', cmd]);
        expect(r.stdout).toBe('lab\nTrue\nFalse\n');
      });
    },
  );
}

describe('pshost start-up settings', () => {
  it('writes no colour codes into redirected output and moves HOME when it is not writable', async () => {
    const host = engines[0]?.path ?? '';
    const r = await runEngine(
      host,
      [...BASE_ARGS, '-Command', "$env:HOME; Write-Error 'red?'; @{ a = 1 }"],
      '',
      {
        NO_COLOR: undefined,
        TERM: 'xterm-256color',
        HOME: '/proc',
      },
    );
    expect(r.stdout.split('\n')[0]).toMatch(/psremedy-home-/);
    expect(r.stdout).toMatch(/Name\s+Value/);
    expect(r.stdout + r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('red?');
  });
});
