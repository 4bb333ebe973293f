import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPaths } from '../../src/powershell/build-host.js';
import { pathCandidates } from '../../src/powershell/find-powershell.js';

const scratch = mkdtempSync(join(tmpdir(), 'psremedy-host-folder-'));

describe('where the PowerShell host is built', () => {
  it('builds inside pshost/.build of a clone', () => {
    const clone = join(scratch, 'clone');
    mkdirSync(clone);
    expect(hostPaths(clone, {}).buildDir).toBe(join(clone, 'pshost', '.build'));
  });

  it.each([
    ['XDG_CACHE_HOME', { XDG_CACHE_HOME: '/var/cache/me' }, join('/var/cache/me', 'psremedy', 'pshost')],
    ['~/.cache', {}, join(homedir(), '.cache', 'psremedy', 'pshost')],
  ])('builds an installed package (under node_modules) in the user cache: %s', (_name, env, expected) => {
    const installed = join(scratch, 'prefix', 'lib', 'node_modules', 'psremedy');
    mkdirSync(installed, { recursive: true });
    const paths = hostPaths(installed, env);
    expect(paths.buildDir).toBe(expected);
    expect(paths.lockDir).toBe(join(expected, 'lock'));
    expect(paths.sourceDir).toBe(join(installed, 'pshost'));
  });
});

describe('the README on engines', () => {
  it('says what findPowerShell tries on Windows, in its order, and that no .NET SDK is needed there', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const windows = /\*\*On Windows\*\*([\s\S]*?)\n\n/.exec(readme)?.[1] ?? '';
    const at = pathCandidates('win32').map((name) => windows.indexOf(`\`${name}\``));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(windows).toMatch(/the \.NET SDK is not needed/);
    expect(readme).toContain('$XDG_CACHE_HOME/psremedy/pshost');
  });
});
