import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/powershell/build-host.js';
import { formatFinding, parseScripts } from '../../src/powershell/parse-scripts.js';

const root = findProjectRoot();

function listScripts(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...listScripts(full));
    else if (/\.ps[md]?1$/i.test(entry.name)) out.push(full);
  }
  return out;
}

describe('the parse service (pshost -Parse)', () => {
  it('reports parser errors with line, column and the parser error id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pshost-parse-'));
    const bad = join(dir, 'bad.ps1');
    writeFileSync(bad, 'function Get-X {\n  if ($x {\n  }\n');
    const [report] = await parseScripts([bad]);
    expect(report?.path).toBe(bad);
    expect(report?.errors).toContainEqual(
      expect.objectContaining({ line: 2, col: 10, id: 'MissingEndParenthesisAfterStatement' }),
    );
    expect(report?.errors).toContainEqual(expect.objectContaining({ id: 'MissingEndCurlyBrace' }));
  });

  it('finds every load of code from a file, and none where no file is involved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pshost-parse-'));
    const file = join(dir, 'loads.ps1');
    const lines: Array<[string, string | undefined]> = [
      ['. $PSScriptRoot\\lib\\Common.ps1', 'dotSource'],
      ['. "$PSScriptRoot/lib/Common.ps1"', 'dotSource'],
      ["if ($x) { . (Join-Path $PSScriptRoot 'Common.ps1') }", 'dotSource'],
      ['. ./helper.ps1', 'dotSource'],
      ['. $helper', 'dotSource'],
      ['& "$PSScriptRoot\\x.ps1"', 'callScriptFile'],
      ['& ./x.ps1 -Name 1', 'callScriptFile'],
      ['./helper.ps1 -x 1', 'callScriptFile'],
      ["Import-Module (Join-Path $PSScriptRoot 'lib/State.psm1')", 'importModuleFile'],
      ['Import-Module -Name ./x.psm1 -Force', 'importModuleFile'],
      ['ipmo C:\\x\\y.psd1', 'importModuleFile'],
      ['Import-Module $modulePath', 'importModuleFile'],
      ['. { "a script block" }', undefined],
      ['& { "a script block" }', undefined],
      ['& $exe /c', undefined],
      ['& netsh advfirewall show', undefined],
      ['Import-Module NetSecurity', undefined],
      ['Import-Module -Name NetTCPIP -Prefix Lab -Force', undefined],
      ['Get-Item -LiteralPath .\\x.ps1', undefined],
    ];
    writeFileSync(file, `${lines.map(([line]) => line).join('\n')}\nusing module ./Tools.psm1\n`);
    const [report] = await parseScripts([file]);
    expect(report?.errors.filter((e) => e.id !== 'UsingMustBeAtStartOfScript')).toEqual([]);
    const expected = lines.flatMap(([, id], i) => (id ? [`${i + 1}:${id}`] : []));
    const found = (report?.fileLoads ?? []).map((f) => `${f.line}:${f.id}`);
    expect(found.filter((f) => !f.endsWith('usingModuleFile'))).toEqual(expected);
    expect(report?.fileLoads.find((f) => f.id === 'dotSource')?.message).toMatch(
      /put the helper's code into the script/,
    );
  });

  it('finds each PowerShell-7-only construct and nothing in 5.1-compatible code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pshost-parse-'));
    const seven = join(dir, 'seven.ps1');
    writeFileSync(
      seven,
      [
        '$a = $true ? 1 : 2',
        '$b = $null ?? 3',
        '$c ??= 4',
        'Get-Item x && Get-Item y',
        '1..3 | ForEach-Object -Parallel { $_ }',
        "'{}' | ConvertFrom-Json -AsHashtable",
        'function f { process { } clean { } }',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a braced PowerShell variable, not a template
        '$d = ${a}?.Length',
      ].join('\n'),
    );
    const five = join(dir, 'five.ps1');
    writeFileSync(five, "$h = @{}; 'a' | Group-Object -AsHashTable; if ($?) { 1 } else { 2 }; $x?y = 1\n");
    const [sevenReport, fiveReport] = await parseScripts([seven, five]);
    expect(sevenReport?.errors).toEqual([]);
    expect(sevenReport?.ps7Only.map((f) => `${f.line}:${f.id}`)).toEqual([
      '1:ternary',
      '2:nullCoalescing',
      '3:nullCoalescingAssignment',
      '4:pipelineChain',
      '5:foreachParallel',
      '6:asHashtable',
      '7:cleanBlock',
      '8:nullConditional',
    ]);
    expect(fiveReport).toEqual({
      path: five,
      errors: [],
      ps7Only: [],
      shouldProcess: expect.objectContaining({ declared: false, where: 'script' }),
      fileLoads: [],
      parameters: null,
    });
  });

  it("reads a script's param() block: names, aliases, .NET types, Mandatory and ValidateSet", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pshost-parse-'));
    const advanced = join(dir, 'advanced.ps1');
    writeFileSync(
      advanced,
      [
        '[CmdletBinding(SupportsShouldProcess)]',
        'param(',
        '    [Parameter(Mandatory)] [string] $Name,',
        '    [Parameter(Mandatory = $false)] [Alias("P", "PortNumber")] [int] $Port = 1,',
        "    [ValidateSet('Tcp', 'Udp')] [string] $Protocol = 'Tcp',",
        '    [switch] $Force,',
        '    [string[]] $Names,',
        '    $Untyped',
        ')',
      ].join('\n'),
    );
    const simple = join(dir, 'simple.ps1');
    writeFileSync(simple, 'param([Parameter(Mandatory = $true)] $X)\n$X\n');
    const plain = join(dir, 'plain.ps1');
    writeFileSync(plain, 'param($X)\n$X\n');
    const [a, s, p] = await parseScripts([advanced, simple, plain]);
    const row = (
      name: string,
      aliases: string[],
      type: string,
      mandatory: boolean,
      hasDefault: boolean,
      validateSet: string[] | null,
    ) => ({ name, aliases, type, mandatory, hasDefault, validateSet });
    expect(a?.parameters).toEqual({
      isAdvanced: true,
      parameters: [
        row('Name', [], 'System.String', true, false, null),
        row('Port', ['P', 'PortNumber'], 'System.Int32', false, true, null),
        row('Protocol', [], 'System.String', false, true, ['Tcp', 'Udp']),
        row('Force', [], 'System.Management.Automation.SwitchParameter', false, false, null),
        row('Names', [], 'System.String[]', false, false, null),
        row('Untyped', [], 'System.Object', false, false, null),
      ],
    });
    expect(s?.parameters).toEqual({
      isAdvanced: true,
      parameters: [row('X', [], 'System.Object', true, false, null)],
    });
    expect(p?.parameters).toEqual({
      isAdvanced: false,
      parameters: [row('X', [], 'System.Object', false, false, null)],
    });
  });

  it.each([
    ['[CmdletBinding(SupportsShouldProcess)]\nparam()\n', true, 1, 1, 'cmdletBinding'],
    [
      '#Requires -Version 5.1\n[CmdletBinding(ConfirmImpact = "High", SupportsShouldProcess = $true)]\nparam()\n',
      true,
      2,
      1,
      'cmdletBinding',
    ],
    ['<# help #>\n  [CmdletBinding()]\nparam([string] $X)\n', false, 2, 3, 'cmdletBinding'],
    ['[CmdletBinding(SupportsShouldProcess = $false)]\nparam()\n', false, 1, 1, 'cmdletBinding'],
    ['# no binding\n\nparam($X)\n$X\n', false, 3, 1, 'param'],
    ['Set-Content x y\n', false, 1, 1, 'script'],
  ])(
    'says whether %j declares SupportsShouldProcess, and where',
    async (text, declared, line, col, where) => {
      const dir = mkdtempSync(join(tmpdir(), 'pshost-parse-'));
      const file = join(dir, 'script.ps1');
      writeFileSync(file, text);
      const [report] = await parseScripts([file]);
      expect(report?.shouldProcess).toMatchObject({ declared, line, col, where });
    },
  );

  it('finds no parser errors in ps-scripts/ and lab/, and no 7-only syntax in ps-scripts/', async () => {
    const psScripts = listScripts(join(root, 'ps-scripts'));
    const lab = listScripts(join(root, 'lab'));
    const reports = await parseScripts([...psScripts, ...lab]);
    const problems = reports.flatMap((r) => {
      const where = relative(root, r.path);
      const sevenOnly = psScripts.includes(r.path) ? r.ps7Only : [];
      return [...r.errors, ...sevenOnly].map((f) => formatFinding(where, f));
    });
    expect(problems).toEqual([]);
    expect(reports.length).toBe(psScripts.length + lab.length);
    // Every shipped script previews safely under -WhatIf (modules are not run as scripts).
    const withoutShouldProcess = reports
      .filter((r) => psScripts.includes(r.path) && r.path.endsWith('.ps1') && !r.shouldProcess?.declared)
      .map((r) => relative(root, r.path));
    expect(withoutShouldProcess).toEqual([]);
  });
});
