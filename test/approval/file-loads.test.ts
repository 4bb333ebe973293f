/** approve and verify find the scripts that load code from files, with or without psremedy's host. */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { findFileLoads } from '../../src/approval/file-loads.js';
import { PowerShellError } from '../../src/core/errors.js';

const scripts = join(import.meta.dirname, '../fixtures/approval/dot-sourcing/scripts');
const clean = join(import.meta.dirname, '../fixtures/approval/basic/scripts');

const parser = vi.hoisted(() => ({ missing: false }));
vi.mock('../../src/powershell/parse-scripts.js', async (original) => {
  const real = await original<typeof import('../../src/powershell/parse-scripts.js')>();
  return {
    ...real,
    parseScripts: (files: string[]) => {
      if (parser.missing) throw new PowerShellError('no PowerShell engine: dotnet is not installed');
      return real.parseScripts(files);
    },
  };
});

function read(dir: string, names: string[]): Map<string, { text: string }> {
  return new Map(names.map((n) => [join(dir, n), { text: readFileSync(join(dir, n), 'utf8') }]));
}

const loading = ['Set-Setting.ps1', 'Test-Setting.ps1', 'Test-Settings.ps1'];

describe('findFileLoads', () => {
  it.each([
    ['PowerShell parser', false],
    ['fallback reading, without a host', true],
  ])(
    'finds every dot-source and import by the %s, and nothing in self-contained scripts',
    async (_how, missing) => {
      parser.missing = missing;
      const loads = await findFileLoads(read(scripts, loading));
      expect(loads.map((l) => `${l.file.slice(scripts.length + 1)}:${l.line}`)).toEqual(
        expect.arrayContaining([
          'Set-Setting.ps1:18',
          'Set-Setting.ps1:19',
          'Test-Setting.ps1:18',
          'Test-Settings.ps1:14',
        ]),
      );
      expect(await findFileLoads(read(clean, [...loading, 'Restore-Setting.ps1']))).toEqual([]);
    },
    120_000,
  );

  it('reads the text it is given, not the file on disk', async () => {
    parser.missing = false;
    const text = '#Requires -Version 5.1\nparam()\n. ./lib/Helper.ps1\n';
    const loads = await findFileLoads(new Map([[join(clean, 'Test-Setting.ps1'), { text }]]));
    expect(loads).toEqual([
      expect.objectContaining({ file: join(clean, 'Test-Setting.ps1'), line: 3, col: 1 }),
    ]);
  }, 120_000);

  describe.each([
    ['PowerShell parser', false],
    ['fallback reading, without a host', true],
  ])('a shared module declaration, by the %s', (_how, missing) => {
    const dir = join(tmpdir(), 'psremedy-shipped');
    const script = join(dir, 'Test-Shared.ps1');
    const declaration =
      "if (-not (Get-Module -Name Shared)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/Shared.psm1') }";
    const text = `#Requires -Version 5.1\n${declaration}\nGet-Shared\n`;
    const module = (moduleText: string) => ({
      name: 'Shared',
      path: join(dir, 'lib', 'Shared.psm1'),
      sha256: 'unused',
      text: moduleText,
    });
    const where = (loads: Awaited<ReturnType<typeof findFileLoads>>) =>
      loads.map((l) => `${l.file.slice(dir.length + 1)}:${l.line}`);

    it('is no file load when the module is shipped with the script', async () => {
      parser.missing = missing;
      const shipped = new Map([[script, { text, modules: [module('function Get-Shared { 1 }\n')] }]]);
      expect(await findFileLoads(shipped)).toEqual([]);
    }, 120_000);

    it('is refused when the module is not shipped, or is another than the one read', async () => {
      parser.missing = missing;
      expect(where(await findFileLoads(new Map([[script, { text }]])))).toEqual(['Test-Shared.ps1:2']);
      const other = { ...module('function Get-Shared { 1 }\n'), path: join(dir, 'elsewhere', 'Shared.psm1') };
      expect(where(await findFileLoads(new Map([[script, { text, modules: [other] }]])))).toEqual([
        'Test-Shared.ps1:2',
      ]);
    }, 120_000);

    it('still refuses a file load beside it, and the file loads of the shipped module', async () => {
      parser.missing = missing;
      const loaded = `#Requires -Version 5.1\n${declaration}\n. $PSScriptRoot/lib/Helper.ps1\n`;
      const shipped = new Map([
        [
          script,
          { text: loaded, modules: [module('function Get-Shared { 1 }\n. $PSScriptRoot/Helper.ps1\n')] },
        ],
      ]);
      expect(where(await findFileLoads(shipped))).toEqual(['Test-Shared.ps1:3', 'lib/Shared.psm1:2']);
    }, 120_000);

    it('still refuses a load sharing its line (U+2028 ends a line for the pattern, not for PowerShell)', async () => {
      parser.missing = missing;
      const sharing = `#Requires -Version 5.1\n. ./evil.ps1\u2028${declaration}\n`;
      const shipped = new Map([
        [script, { text: sharing, modules: [module('function Get-Shared { 1 }\n')] }],
      ]);
      const loads = await findFileLoads(shipped);
      expect(where(loads)).toEqual(['Test-Shared.ps1:2']);
      expect(loads[0]?.message).toMatch(/evil\.ps1/);
    }, 120_000);
  });
});
