/** One run per host at a time, whatever spelling of the host each run was given. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireTargetLock, targetLockKey } from '../../src/engine/target-lock.js';

const stateDir = () => mkdtempSync(join(tmpdir(), 'psremedy-lock-'));

describe('the per-target lock', () => {
  it.each([
    'winrm://srv01',
    'SRV01',
    'ssh://admin@SRV01.corp.example:22',
    'winrm+https://CORP\\ops@srv01.CORP.example.:5986',
    'srv01.corp.example',
  ])('refuses a second run on SRV01 spelled %s', (spelling) => {
    const dir = stateDir();
    const held = acquireTargetLock(dir, 'winrm://SRV01:5985', 'run-one');
    expect(() => acquireTargetLock(dir, spelling, 'run-two')).toThrow(/another run \(run-one.*is working on/);
    held.release();
    acquireTargetLock(dir, spelling, 'run-two').release();
  });

  it('lets runs on different hosts go at once', () => {
    const dir = stateDir();
    const one = acquireTargetLock(dir, 'winrm://SRV01', 'run-one');
    const two = acquireTargetLock(dir, 'winrm://SRV02.corp.example', 'run-two');
    const three = acquireTargetLock(dir, 'ssh://10.0.0.5', 'run-three');
    const four = acquireTargetLock(dir, 'ssh://10.0.0.6', 'run-four');
    for (const lock of [one, two, three, four]) lock.release();
  });

  it.each([
    ['local', 'local'],
    ['ssh://localhost', 'local'],
    ['winrm://127.0.0.1:5985', 'local'],
    ['ssh://[::1]:22', 'local'],
    ['ssh://[fe80::1]:22', 'fe80::1'],
    ['winrm://10.0.0.5:5986', '10.0.0.5'],
    ['ssh://u@SRV01.Corp.Example', 'srv01'],
  ])('keys %s as %s', (target, key) => {
    expect(targetLockKey(target)).toBe(key);
  });
});
