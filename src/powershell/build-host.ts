/**
 * Builds psremedy's PowerShell host (`pshost/`, pwsh 7.6.9 from NuGet) on first use: a ReadyToRun
 * publish into `<build folder>/<source hash>/`, rebuilt only when the sources change, under a
 * file lock so parallel test workers and CLI runs build it once. The build folder is
 * `pshost/.build` in a clone, and a per-user cache folder for an installed package.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PowerShellError } from '../core/errors.js';
import { findOnPath } from './find-on-path.js';

/** The engine version the host is pinned to (pshost/pshost.csproj). */
export const HOST_ENGINE_VERSION = '7.6.9';

const SOURCE_EXTENSIONS = ['.cs', '.csproj', '.props', '.targets', '.json'];
const LOCK_WAIT_MS = 15 * 60_000;
const OLD_BUILD_MS = 60 * 60_000;
const COMPLETE_MARKER = '.complete';

/** The folder that holds `pshost/pshost.csproj` (works from src/ and from dist/src/). */
export function findProjectRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'pshost', 'pshost.csproj'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new PowerShellError(`cannot find pshost/pshost.csproj above ${start}`);
    dir = parent;
  }
}

/** Paths of the host: its sources and where built copies live. */
export function hostPaths(
  root = findProjectRoot(),
  env: NodeJS.ProcessEnv = process.env,
): {
  sourceDir: string;
  buildDir: string;
  lockDir: string;
} {
  const sourceDir = join(root, 'pshost');
  const buildDir = isInstalledPackage(root)
    ? join(userCacheDir(env), 'psremedy', 'pshost')
    : join(sourceDir, '.build');
  return { sourceDir, buildDir, lockDir: join(buildDir, 'lock') };
}

/**
 * An npm-installed psremedy (inside a `node_modules` folder, or a folder this user cannot write)
 * builds into the user's cache: a global prefix is often read-only, and `npm update` replaces the
 * package folder, which would throw away a minute's build whose sources did not change.
 */
function isInstalledPackage(root: string): boolean {
  if (root.split(sep).includes('node_modules')) return true;
  try {
    accessSync(root, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/** XDG_CACHE_HOME, else %LOCALAPPDATA% on Windows, else ~/.cache. */
function userCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.XDG_CACHE_HOME) return env.XDG_CACHE_HOME;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return env.LOCALAPPDATA;
  return join(homedir(), '.cache');
}

/** A hash of every source file of the host (names and bytes), which names its build folder. */
export async function hashHostSources(sourceDir = hostPaths().sourceDir): Promise<string> {
  const files = (await listSources(sourceDir)).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(sourceDir, file).split(sep).join('/'));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function listSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'bin' || entry.name === 'obj') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listSources(full)));
    else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) out.push(full);
  }
  return out;
}

/** The host executable inside a build folder. */
export function hostExecutable(outDir: string): string {
  return join(outDir, process.platform === 'win32' ? 'pshost.exe' : 'pshost');
}

/**
 * Returns the path of a built host for the current sources, building it first if needed.
 * Throws PowerShellError naming the .NET SDK when `dotnet` is missing or the build fails.
 */
export async function ensureHostBuilt(root = findProjectRoot()): Promise<string> {
  const { sourceDir, buildDir, lockDir } = hostPaths(root);
  const outDir = join(buildDir, await hashHostSources(sourceDir));
  if (existsSync(join(outDir, COMPLETE_MARKER))) return hostExecutable(outDir);
  await mkdir(buildDir, { recursive: true });
  await acquireLock(lockDir);
  try {
    if (!existsSync(join(outDir, COMPLETE_MARKER))) {
      // Said before "building ...", so a machine that cannot build hears only what is missing.
      if (!findOnPath('dotnet')) throw missingDotnet();
      await publishHost(sourceDir, buildDir, outDir);
      await removeOldBuilds(buildDir, outDir);
    }
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
  return hostExecutable(outDir);
}

async function publishHost(sourceDir: string, buildDir: string, outDir: string): Promise<void> {
  const staging = join(buildDir, `staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  process.stderr.write(`psremedy: building the PowerShell host into ${outDir} (first use, about a minute)\n`);
  const args = [
    'publish',
    join(sourceDir, 'pshost.csproj'),
    '-c',
    'Release',
    '-p:PublishReadyToRun=true',
    '-o',
    staging,
  ];
  const { code, output } = await runDotnet(args, sourceDir);
  if (code !== 0) {
    throw new PowerShellError(
      `building the PowerShell host failed (dotnet publish exited ${code}); fix the error below or set PSREMEDY_POWERSHELL to a pwsh 7 executable`,
      { exitCode: code, stderr: output.slice(-4000) },
    );
  }
  await writeFile(join(staging, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  await rm(outDir, { recursive: true, force: true });
  await rename(staging, outDir);
}

function runDotnet(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('dotnet', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DOTNET_CLI_TELEMETRY_OPTOUT: '1',
        DOTNET_NOLOGO: '1',
        DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(missingDotnet(error));
      else reject(error);
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** No pwsh was found before this, and without the .NET SDK nothing can be built: say both, and the fixes. */
function missingDotnet(cause?: unknown): PowerShellError {
  return new PowerShellError(
    "no PowerShell to run scripts with: pwsh is not installed, and the .NET 10 SDK (`dotnet`) that builds psremedy's own PowerShell host is not either. Install PowerShell 7 (https://aka.ms/powershell), or the .NET 10 SDK (https://dot.net), or set PSREMEDY_POWERSHELL to a pwsh executable",
    { tried: ['dotnet: not on PATH'] },
    cause === undefined ? {} : { cause },
  );
}

async function acquireLock(lockDir: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'owner'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStaleLock(lockDir)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new PowerShellError(
        `waited ${LOCK_WAIT_MS / 60_000} minutes for the host build lock ${lockDir}; remove it if no build is running`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A lock is stale when its owner process is gone (or it never wrote one within a minute). */
async function isStaleLock(lockDir: string): Promise<boolean> {
  try {
    const owner = Number((await readFile(join(lockDir, 'owner'), 'utf8')).trim());
    if (!Number.isInteger(owner) || owner <= 0) return false;
    process.kill(owner, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return true;
    if (code === 'ENOENT') {
      const info = await stat(lockDir).catch(() => undefined);
      return info !== undefined && Date.now() - info.mtimeMs > 60_000;
    }
    return false;
  }
}

/** Removes builds of older sources once they are an hour old (a running test may still use a recent one). */
async function removeOldBuilds(buildDir: string, keep: string): Promise<void> {
  for (const entry of await readdir(buildDir, { withFileTypes: true })) {
    const full = join(buildDir, entry.name);
    if (!entry.isDirectory() || full === keep || entry.name === 'lock') continue;
    const info = await stat(full).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > OLD_BUILD_MS) await rm(full, { recursive: true, force: true });
  }
}
