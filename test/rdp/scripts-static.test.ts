import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlaybookScripts } from '../../src/cli/commands/validate/parse-playbook-scripts.js';
import { loadPlaybook } from '../../src/playbook/index.js';
import type { FixStepDoc } from '../../src/playbook/schema.js';
import { findModuleDeclarations, readScriptModules } from '../../src/playbook/script-modules.js';
import { ENVELOPE_FILE } from '../../src/powershell/envelope-source.js';
import { parseScripts } from '../../src/powershell/parse-scripts.js';
import { openScriptSession, repoRoot, type ScriptSession, scriptsDir } from './support/script-session.js';

const rdpScripts = readdirSync(scriptsDir)
  .filter((f) => /^[A-Z][a-z]+-(Rdp|NetAdapter)\w*\.ps1$/.test(f))
  .sort();
const playbooks = [
  'rdp-0x904',
  'renew-rdp-certificate',
  'reset-network-adapter',
  'open-rdp-firewall',
  'adjust-nla',
].map((name) => join(repoRoot, 'playbooks', `${name}.yaml`));
const text = (file: string) => readFileSync(join(scriptsDir, file), 'utf8');
const libDir = join(scriptsDir, 'lib');
const modules = readdirSync(libDir)
  .filter((f) => f.endsWith('.psm1'))
  .sort();

describe('the RDP scripts as files', () => {
  it('are all found (a rename would silently shrink these checks)', () => {
    expect(rdpScripts.length).toBeGreaterThanOrEqual(34);
  });

  it('parse without errors and use no syntax that Windows PowerShell 5.1 lacks (with the shared modules and the envelope)', async () => {
    const reports = await parseScripts([
      ...rdpScripts.map((f) => join(scriptsDir, f)),
      ...modules.map((f) => join(libDir, f)),
      ENVELOPE_FILE,
    ]);
    const problems = reports.flatMap((r) =>
      [...r.errors, ...r.ps7Only].map((p) => `${basename(r.path)}:${p.line}:${p.col} ${p.id} ${p.message}`),
    );
    expect(problems).toEqual([]);
  });

  it.each(rdpScripts)('%s follows the script conventions', (file) => {
    const body = text(file);
    expect(body.startsWith('#Requires -Version 5.1')).toBe(true);
    expect(body).toContain('.SYNOPSIS');
    expect(body).toContain('.OUTPUTS');
    expect(body).toContain('[CmdletBinding(SupportsShouldProcess)]');
    expect(body).toContain('Set-StrictMode -Version Latest');
    expect(body).toContain("$ErrorActionPreference = 'Stop'");
    expect(body).not.toMatch(/Write-Host|Get-WmiObject|-DisplayGroup/);
    expect([...body].every((c) => c.charCodeAt(0) < 128)).toBe(true);
  });

  it.each(modules)('lib/%s follows the module conventions', (file) => {
    const body = readFileSync(join(libDir, file), 'utf8');
    expect(body.startsWith('#Requires -Version 5.1')).toBe(true);
    expect(body).toContain('.SYNOPSIS');
    expect(body).toContain('Set-StrictMode -Version Latest');
    expect(body).toContain("$ErrorActionPreference = 'Stop'");
    expect(body).not.toMatch(/Write-Host|Get-WmiObject|-DisplayGroup|\$PSCmdlet\.ShouldProcess/);
    expect([...body].every((c) => c.charCodeAt(0) < 128)).toBe(true);
  });

  it('define each function in one file only: shared code lives in lib/, not in copies', () => {
    const files = [
      ...readdirSync(scriptsDir).filter((f) => f.endsWith('.ps1')),
      ...modules.map((f) => `lib/${f}`),
    ];
    const definedIn = new Map<string, string[]>();
    for (const file of files)
      for (const match of text(file).matchAll(/^\s*function\s+([\w-]+)/gim)) {
        const name = (match[1] ?? '').toLowerCase();
        definedIn.set(name, [...(definedIn.get(name) ?? []), file]);
      }
    expect(files.length).toBeGreaterThan(40);
    const copies = [...definedIn]
      .filter(([, where]) => where.length > 1)
      .map(([name, where]) => `${name}: ${where.join(', ')}`);
    expect(copies).toEqual([]);
  });

  it('import shared code only through a declared lib module, never by dot-sourcing or another path', async () => {
    for (const file of [...rdpScripts, ...modules.map((f) => `lib/${f}`)]) {
      const body = text(file);
      // Help text and comments may mention imports; only code counts.
      const code = body.replace(/<#[\s\S]*?#>/g, '').replace(/^\s*#.*$/gm, '');
      const imports = code
        .split(/\r?\n/)
        .filter((line) => /Import-Module|using\s+module|^\s*\.\s+\S/i.test(line));
      expect(imports.length, `${file}: every import is a declaration`).toBe(
        findModuleDeclarations(body).length,
      );
      const found = await readScriptModules(join(scriptsDir, file), body);
      expect(found.problems, file).toEqual([]);
    }
  });
});

describe('the RDP playbooks', () => {
  let ps: ScriptSession;
  beforeAll(async () => {
    ps = await openScriptSession();
  });
  afterAll(async () => {
    await ps?.close();
  });

  it.each(playbooks)('%s loads and checks without problems', async (file) => {
    const loaded = await loadPlaybook(file);
    expect(loaded.warnings).toEqual([]);
  });

  it("pass validate with PowerShell's parser: syntax, 5.1 syntax, and every with: against the param() blocks", async () => {
    const loaded = await Promise.all(playbooks.map((file) => loadPlaybook(file)));
    const outcome = await parsePlaybookScripts(loaded);
    expect(outcome.skipped).toBeUndefined();
    expect([...outcome.problems.values()].flat().map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });

  it('give every fix script the parameters the step passes, and each undo a Before', async () => {
    const wanted = new Map<string, Set<string>>();
    for (const file of playbooks) {
      const loaded = await loadPlaybook(file);
      for (const step of loaded.doc.steps.filter((s): s is FixStepDoc => s.kind === 'fix')) {
        const params = Object.keys(step.with ?? {});
        for (const [role, path] of [
          ['test', step.test],
          ['apply', step.apply],
          ['undo', step.undo],
        ] as const) {
          if (typeof path !== 'string') continue;
          const name = basename(path);
          const set = wanted.get(name) ?? new Set<string>();
          for (const p of role === 'undo' ? [...params, 'Before'] : params) set.add(p);
          wanted.set(name, set);
        }
      }
    }
    const declared = await ps.result<Record<string, string[]>>('../test/rdp/support/Get-ScriptParameter', {
      Path: [...wanted.keys()].map((n) => join(scriptsDir, n)),
    });
    for (const [name, params] of wanted) {
      expect(declared[name], `parameters of ${name}`).toEqual(expect.arrayContaining([...params]));
    }
  });
});
