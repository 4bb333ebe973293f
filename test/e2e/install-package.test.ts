/**
 * psremedy as an admin installs it: `npm pack` of a copy of this checkout (so prepack's rebuild of
 * dist/ never races other tests), `npm install -g --prefix <empty>` of the tarball from the npm
 * cache, then the installed `psremedy` run from an unrelated folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHostBuilt, hashHostSources } from '../../src/powershell/build-host.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'psremedy-install-'));
const prefix = join(out, 'prefix');
const cache = join(out, 'cache');
const elsewhere = join(out, 'elsewhere');
const installed = join(prefix, 'lib', 'node_modules', 'psremedy');
const bin = join(prefix, 'bin', 'psremedy');
let packed: { path: string; mode: number }[] = [];

/** The installed psremedy, run from `cwd` with the test's cache folder and no colours or CI. */
function psremedy(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, NO_COLOR: '1', ...options.env };
  for (const name of ['CI', 'PSREMEDY_POWERSHELL', 'PSREMEDY_HOME']) delete env[name];
  const result = spawnSync(bin, args, {
    cwd: options.cwd ?? elsewhere,
    env,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function npm(args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(async () => {
  // A copy of the checkout's own files (tracked and new, not ignored), sharing its node_modules.
  const copy = join(out, 'checkout');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f && existsSync(join(root, f)));
  for (const f of files) cpSync(join(root, f), join(copy, f));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  const pack = npm(['pack', '--json', '--pack-destination', out], copy);
  expect(pack.status, pack.output).toBe(0);
  const json = pack.output.slice(pack.output.indexOf('['), pack.output.lastIndexOf(']') + 1);
  packed = (JSON.parse(json) as [{ files: { path: string; mode: number }[] }])[0].files;
  const tarball = readdirSync(out).find((f) => /^psremedy-.*\.tgz$/.test(f));
  expect(tarball).toBeDefined();

  // The dependencies come from the npm cache; a registry is asked only for what the cache lacks.
  const install = ['install', '-g', '--prefix', prefix, join(out, tarball ?? ''), '--no-audit', '--no-fund'];
  let installedOk = npm([...install, '--offline'], out);
  if (installedOk.status !== 0) {
    console.warn(
      `install-package.test.ts: --offline failed, retrying --prefer-offline:\n${installedOk.output}`,
    );
    installedOk = npm([...install, '--prefer-offline'], out);
  }
  expect(installedOk.status, installedOk.output).toBe(0);

  // The host this checkout built, where an installed psremedy looks for it: <cache>/psremedy/pshost/<hash>.
  const host = dirname(await ensureHostBuilt(root));
  mkdirSync(join(cache, 'psremedy', 'pshost'), { recursive: true });
  symlinkSync(host, join(cache, 'psremedy', 'pshost', await hashHostSources(join(root, 'pshost'))));
  mkdirSync(elsewhere);
}, 300_000);

// rm does not follow symlinks: the linked host build of this checkout stays.
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the packed and installed psremedy', () => {
  it('ships dist/, the lab, playbooks, scripts, host sources and schemas, and nothing of the tests', () => {
    const paths = packed.map((f) => f.path);
    for (const needed of [
      'bin/psremedy.js',
      'dist/cli/main.js',
      'lab/module/PSRemedyLab.psm1',
      'lab/scenarios/firewall-closed.yaml',
      'lab/bin/ssh',
      'playbooks/rdp-0x904.yaml',
      'ps-scripts/Test-RdpPort.ps1',
      'pshost/pshost.csproj',
      'pshost/Program.cs',
      'schema/events.schema.json',
      'src/powershell/envelope.ps1',
    ])
      expect(paths).toContain(needed);
    // Of src/ only the envelope ships: sessions read it from there, under dist/ as under src/.
    expect(
      paths.filter(
        (p) =>
          (/^(test|src|bench|\.ci|dist\/test)\//.test(p) && p !== 'src/powershell/envelope.ps1') ||
          p.includes('.build/'),
      ),
    ).toEqual([]);
    expect(packed.find((f) => f.path === 'lab/bin/ssh')?.mode).toBe(0o755);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
    expect(Object.keys(manifest.scripts ?? {})).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(pre|post)?install$|^prepare$/)]),
    );
  });

  it('prints its help', () => {
    const r = psremedy(['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Usage: psremedy/);
    expect(r.stdout).toMatch(/playbooks/);
  });

  it('finds its PowerShell host in the user cache, not inside the installed package', () => {
    const r = psremedy(['doctor']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`path:       ${join(cache, 'psremedy', 'pshost')}`);
    expect(existsSync(join(installed, 'pshost', '.build'))).toBe(false);
  });

  it('lists the lab scenarios and the shipped playbooks', () => {
    const lab = psremedy(['lab', 'list']);
    expect(lab.status, lab.stderr).toBe(0);
    expect(lab.stdout).toMatch(/firewall-closed/);
    const playbooks = psremedy(['playbooks']);
    expect(playbooks.status, playbooks.stderr).toBe(0);
    expect(playbooks.stdout).toMatch(/^rdp-0x904 +Remote Desktop fails with error 0x904/m);
    expect(playbooks.stdout).toContain(join(installed, 'playbooks'));
  });

  it('runs the flagship by name on a lab host from an empty folder and fixes it', {
    timeout: 240_000,
  }, () => {
    const r = psremedy(['run', 'rdp-0x904', '--lab', 'firewall-closed', '--yes']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/open_firewall .*changed/);
    expect(r.stdout).toMatch(/fixed and verified/);
    expect(readdirSync(join(elsewhere, '.psremedy', 'runs'))).toHaveLength(1);
  });

  it('says once, before starting, that neither pwsh nor the .NET SDK is there, and how to fix it', () => {
    const onlyNode = join(out, 'only-node');
    mkdirSync(onlyNode);
    symlinkSync(process.execPath, join(onlyNode, 'node'));
    const empty = join(out, 'empty');
    mkdirSync(empty);
    const r = psremedy(['run', 'rdp-0x904', '--lab', 'firewall-closed', '--yes'], {
      cwd: empty,
      env: { PATH: onlyNode, XDG_CACHE_HOME: join(out, 'no-cache') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.match(/no PowerShell to run scripts with/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/Install PowerShell 7 .*or the \.NET 10 SDK/);
    expect(r.stderr).not.toMatch(/building the PowerShell host/);
    expect(r.stdout).toBe('');
    expect(existsSync(join(empty, '.psremedy', 'runs'))).toBe(false);
  });
});
