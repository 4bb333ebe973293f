import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScriptReferences } from '../../src/approval/script-references.js';

const script = resolve('/p/scripts/Main.ps1');
const at = (rel: string) => resolve('/p/scripts', rel);

describe('findScriptReferences', () => {
  it.each([
    ['. $PSScriptRoot\\lib\\Common.ps1', 'lib/Common.ps1'],
    ['. "$PSScriptRoot/lib/Common.ps1"', 'lib/Common.ps1'],
    ["Import-Module (Join-Path $PSScriptRoot 'State.psm1')", 'State.psm1'],
    ['Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath "..\\mod\\X.psm1")', '../mod/X.psm1'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell's ${braced} variable syntax
    ['Import-Module "${PSScriptRoot}\\Helpers" -Force', 'Helpers'],
    ['using module .\\Types.psm1', 'Types.psm1'],
    ['& ..\\other\\Run.ps1 -Force', '../other/Run.ps1'],
    ['ipmo ./Tools.psd1', 'Tools.psd1'],
  ])('resolves %s relative to the script', (line, expected) => {
    expect(findScriptReferences(`${line}\n`, script).paths).toEqual([at(expected)]);
  });

  it('reports a path built from another variable as dynamic, with its line', () => {
    const found = findScriptReferences('# header\n. "$PSScriptRoot\\$Name.ps1"\n', script);
    expect(found.paths).toEqual([]);
    expect(found.dynamic).toEqual([{ file: script, line: 2, text: '\\$Name.ps1' }]);
  });

  it('reads RootModule and NestedModules of a module manifest', () => {
    const manifest = resolve('/p/mod/Tools.psd1');
    const found = findScriptReferences(
      "@{ RootModule = 'Tools.psm1'; NestedModules = @('lib\\A.ps1') }",
      manifest,
    );
    expect(found.paths).toEqual([resolve('/p/mod/Tools.psm1'), resolve('/p/mod/lib/A.ps1')].sort());
  });

  it('ignores modules imported by name from PSModulePath', () => {
    expect(findScriptReferences('Import-Module NetSecurity\nGet-NetFirewallRule', script).paths).toEqual([]);
  });
});
