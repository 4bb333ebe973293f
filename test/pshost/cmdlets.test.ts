import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineSession, listEngines } from './run-host.js';

// The Utility/Management cmdlets against behaviour their documentation describes (one engine process per engine).
const engines = await listEngines();

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(
    `${engine.name} cmdlets${engine.skipReason ? ` (skipped: ${engine.skipReason})` : ''}`,
    () => {
      let ps: EngineSession;
      const dir = mkdtempSync(join(tmpdir(), 'pshost-cmdlets-'));
      const run = async (line: string): Promise<string> => {
        const r = await ps.invoke(line);
        expect(r.stderr).toBe('');
        return r.stdout;
      };

      beforeAll(() => {
        ps = new EngineSession(engine.path ?? '');
      });
      afterAll(async () => {
        await ps.close();
      });

      it('ConvertTo-Json keeps ordered keys, writes enums as numbers, and -Compress drops whitespace', async () => {
        expect(
          await run(
            "[ordered]@{ b = 1; a = 'x'; day = [DayOfWeek]::Monday; list = @(1, 2) } | ConvertTo-Json -Compress",
          ),
        ).toBe('{"b":1,"a":"x","day":1,"list":[1,2]}\n');
        expect(
          await run("[pscustomobject]@{ Name = 'n'; Flag = $true; Nothing = $null } | ConvertTo-Json"),
        ).toBe('{\n  "Name": "n",\n  "Flag": true,\n  "Nothing": null\n}\n');
        expect(await run('[DayOfWeek]::Monday | ConvertTo-Json -EnumsAsStrings')).toBe('"Monday"\n');
        expect(await run('[datetime]::new(2024, 1, 2, 3, 4, 5, [DateTimeKind]::Utc) | ConvertTo-Json')).toBe(
          '"2024-01-02T03:04:05Z"\n',
        );
      });

      it('ConvertTo-Json stops at -Depth 2 by default and warns that it truncated', async () => {
        const r = await ps.invoke('@{ a = @{ b = @{ c = @{ d = 1 } } } } | ConvertTo-Json -Compress 3>&1');
        expect(r.stdout).toContain(
          'Resulting JSON is truncated as serialization has exceeded the set depth of 2.',
        );
        expect(r.stdout).toContain('{"a":{"b":{"c":"System.Collections.Hashtable"}}}');
        expect(await run('@{ a = @{ b = @{ c = @{ d = 1 } } } } | ConvertTo-Json -Compress -Depth 5')).toBe(
          '{"a":{"b":{"c":{"d":1}}}}\n',
        );
      });

      it('ConvertFrom-Json gives PSCustomObjects, arrays, and [datetime] for ISO 8601 strings unless -DateKind String', async () => {
        const json = `'{"name":"srv","ports":[3389,443],"when":"2024-01-02T03:04:05Z"}'`;
        expect(
          await run(
            `$o = ${json} | ConvertFrom-Json; $o.GetType().Name; $o.ports.Count; $o.when.GetType().Name; $o.when.Kind`,
          ),
        ).toBe('PSCustomObject\n2\nDateTime\nUtc\n');
        expect(await run(`(${json} | ConvertFrom-Json -DateKind String).when`)).toBe(
          '2024-01-02T03:04:05Z\n',
        );
      });

      it('Select-Object, Sort-Object, Measure-Object and Group-Object work on pipelines as documented', async () => {
        expect(await run('1..10 | Select-Object -First 3 -Skip 1 | Out-String -Stream')).toBe('2\n3\n4\n');
        expect(await run('[pscustomobject]@{ A = 1; B = 2 } | Select-Object -ExpandProperty B')).toBe('2\n');
        expect(await run("(3, 1, 2 | Sort-Object -Descending) -join ','")).toBe('3,2,1\n');
        expect(
          await run(
            '$m = 1..4 | Measure-Object -Sum -Average -Maximum; "$($m.Count) $($m.Sum) $($m.Average) $($m.Maximum)"',
          ),
        ).toBe('4 10 2.5 4\n');
        expect(
          await run("'a', 'b', 'a' | Group-Object | ForEach-Object { \"$($_.Name)=$($_.Count)\" }"),
        ).toBe('a=2\nb=1\n');
      });

      it('Add-Member, New-Object and Out-String build and render objects', async () => {
        expect(
          await run(
            '$o = New-Object -TypeName PSObject -Property @{ Id = 7 }; $o | Add-Member -NotePropertyName Tag -NotePropertyValue \'t\'; "$($o.Id)$($o.Tag)"',
          ),
        ).toBe('7t\n');
        expect(await run("([pscustomobject]@{ Name = 'x' } | Out-String).Trim()")).toBe('Name\n----\nx\n');
        expect(await run("(New-Object System.Text.StringBuilder 'ab').Append('c').ToString()")).toBe('abc\n');
      });

      it('Get-Date formats and Start-Sleep waits', async () => {
        expect(await run("Get-Date -Year 2020 -Month 2 -Day 29 -Format 'yyyy-MM-dd'")).toBe('2020-02-29\n');
        expect(await run("(Get-Date -Date '2024-01-02T03:04:05Z' -AsUTC).ToString('o')")).toBe(
          '2024-01-02T03:04:05.0000000Z\n',
        );
        expect(
          await run(
            '$sw = [Diagnostics.Stopwatch]::StartNew(); Start-Sleep -Milliseconds 120; $sw.ElapsedMilliseconds -ge 100',
          ),
        ).toBe('True\n');
      });

      it('the FileSystem cmdlets create, read, list, split and remove paths', async () => {
        const root = dir.replace(/'/g, "''");
        const lines = [
          `$d = Join-Path -Path '${root}' -ChildPath 'sub'`,
          '$null = New-Item -ItemType Directory -Path $d',
          "Set-Content -Path (Join-Path $d 'a.txt') -Value 'one', 'two'",
          "(Get-Content -Path (Join-Path $d 'a.txt')) -join '|'",
          "Get-Content -Path (Join-Path $d 'a.txt') -Raw | ConvertTo-Json",
          "Split-Path -Path (Join-Path $d 'a.txt') -Leaf",
          "(Split-Path -Path (Join-Path $d 'a.txt') -Parent) -eq $d",
          "(Get-Item -Path (Join-Path $d 'a.txt')).Length",
          '(Get-ChildItem -Path $d -Name) -join ","',
          'Test-Path -Path $d -PathType Container',
          'Remove-Item -Path $d -Recurse',
          'Test-Path -Path $d',
        ];
        expect(await run(lines.join('; '))).toBe(
          'one|two\n"one\\ntwo\\n"\na.txt\nTrue\n8\na.txt\nTrue\nFalse\n',
        );
      });

      it('Write-* cmdlets feed their streams, which *>&1 merges into output in order', async () => {
        const line =
          "& { [CmdletBinding()] param() Write-Output 'o'; Write-Verbose 'v' -Verbose; Write-Warning 'w'; Write-Error 'e'; Write-Information 'i'; Write-Host 'h' } *>&1 | ForEach-Object { $_.GetType().Name + ':' + $_ }";
        expect(await run(line)).toBe(
          'String:o\nVerboseRecord:v\nWarningRecord:w\nErrorRecord:e\nInformationRecord:i\nInformationRecord:h\n',
        );
      });
    },
  );
}
