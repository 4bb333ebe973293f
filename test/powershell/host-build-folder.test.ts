import { mkdirSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPaths } from '../../src/powershell/build-host.js';

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
