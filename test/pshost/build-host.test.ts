import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureHostBuilt,
  findProjectRoot,
  hashHostSources,
  hostPaths,
} from '../../src/powershell/build-host.js';

/** A copy of the project's pshost/ sources in a fresh root, so nothing here touches the real build. */
function copyOfSources(): string {
  const root = mkdtempSync(join(tmpdir(), 'pshost-build-'));
  cpSync(join(findProjectRoot(), 'pshost'), join(root, 'pshost'), {
    recursive: true,
    filter: (src) => !/[/\\](bin|obj|\.build)$/.test(src),
  });
  return root;
}

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('building the host on first use', () => {
  it('names the .NET SDK when dotnet is missing, after taking over a lock whose owner is gone', async () => {
    const root = copyOfSources();
    const { buildDir, lockDir } = hostPaths(root);
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'owner'), '999999999');
    process.env.PATH = join(root, 'empty-path');
    await expect(ensureHostBuilt(root)).rejects.toThrow(
      /the \.NET 10 SDK \(`dotnet`\) that builds psremedy's own PowerShell host is not either/,
    );
    expect(existsSync(lockDir)).toBe(false);
    expect(existsSync(join(buildDir, await hashHostSources(hostPaths(root).sourceDir)))).toBe(false);
  });

  it('names the build after a hash that changes with any source file', async () => {
    const root = copyOfSources();
    const { sourceDir } = hostPaths(root);
    const before = await hashHostSources(sourceDir);
    expect(before).toBe(await hashHostSources(hostPaths().sourceDir));
    writeFileSync(join(sourceDir, 'Extra.cs'), '// changed\n');
    expect(await hashHostSources(sourceDir)).not.toBe(before);
  });
});
