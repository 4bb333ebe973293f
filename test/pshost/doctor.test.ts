import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/powershell/build-host.js';

const cli = join(findProjectRoot(), 'bin', 'psremedy.js');

function doctor(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, 'doctor', ...args],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
    );
  });
}

/** PATH without any real pwsh, so the built host is what discovery ends at. */
const pathWithoutPwsh = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((d) => !/powershell/i.test(d))
  .join(delimiter);

describe.skipIf(process.platform === 'win32')('psremedy doctor', () => {
  it('falls back to the built host and reports its path, version 7.6.9, edition Core and what it tried', async () => {
    const r = await doctor(['--json'], { PATH: pathWithoutPwsh, PSREMEDY_POWERSHELL: '' });
    const report = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(report.engine).toMatchObject({ version: '7.6.9', edition: 'Core' });
    expect(report.engine.path).toMatch(/pshost[/\\]\.build[/\\][0-9a-f]{16}[/\\]pshost$/);
    expect(report.tried[0]).toBe('PSREMEDY_POWERSHELL: not set');
    expect(report.tried.at(-1)).toBe(`psremedy host: ${report.engine.path}`);
  });

  it('prefers a pwsh on PATH and says so in words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
    const fake = join(dir, 'pwsh');
    writeFileSync(fake, '#!/bin/sh\nprintf "7.4.1\\nCore\\nFake OS\\n"\n');
    chmodSync(fake, 0o755);
    const r = await doctor([], { PATH: `${dir}${delimiter}${pathWithoutPwsh}`, PSREMEDY_POWERSHELL: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PowerShell: Core 7.4.1');
    expect(r.stdout).toContain(`path:       ${fake}`);
    expect(r.stdout).toContain(`  - pwsh: ${fake}`);
  });

  it('exits 1 naming PSREMEDY_POWERSHELL when it points at nothing', async () => {
    const r = await doctor(['--json'], { PSREMEDY_POWERSHELL: '/no/such/pwsh' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      tried: ['PSREMEDY_POWERSHELL=/no/such/pwsh: not an executable file'],
    });
  });
});
