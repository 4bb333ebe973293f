/** approve and verify find the scripts that load code from files, with or without psremedy's host. */
import { readFileSync } from 'node:fs';
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
});
