import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/core/errors.js';
import { loadPlaybook } from '../../src/playbook/index.js';

const bin = fileURLToPath(new URL('../../bin/psremedy.js', import.meta.url));
const scripts = fileURLToPath(new URL('../fixtures/playbooks/scripts/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'psremedy-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const valid = [
  'apiVersion: psremedy/v1',
  'name: crlf',
  'title: Saved on Windows',
  'steps:',
  '  - id: probe',
  '    title: Probe',
  '    kind: diagnose',
  `    script: ${scripts}Test-Ok.ps1`,
  '',
].join('\r\n');

async function problemsOf(file: string, options?: { maxBytes?: number }): Promise<string[]> {
  const error = await loadPlaybook(file, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlaybookError);
  return (error as PlaybookError).problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
}

function validate(file: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [bin, 'validate', file], { encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('unusual playbook files', () => {
  it('accepts a file with a UTF-8 BOM and CRLF line ends, keeping positions right', async () => {
    const file = join(tmp, 'bom-crlf.yaml');
    writeFileSync(file, `\ufeff${valid}`);
    const playbook = await loadPlaybook(file);
    expect(playbook.doc.name).toBe('crlf');
    expect(playbook.source.startsWith('apiVersion')).toBe(true);
    expect(validate(file).status).toBe(0);
    const broken = join(tmp, 'bom-crlf-broken.yaml');
    writeFileSync(broken, `\ufeff${valid.replace('    kind: diagnose', '    kind: diagnos')}`);
    expect(await problemsOf(broken)).toEqual(['7:11: "diagnos" is not one of diagnose, fix']);
  });

  it('refuses a 5 MB file before reading it', async () => {
    const file = join(tmp, 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const started = Date.now();
    expect(await problemsOf(file)).toEqual([
      '1:1: cannot read the playbook: it is 5.0 MiB; the limit is 1.0 MiB',
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
    const r = validate(file);
    expect(r.status).toBe(2);
    expect(r.output).toContain('the limit is 1.0 MiB');
  });

  it('honours a smaller size limit', async () => {
    const file = join(tmp, 'small-limit.yaml');
    writeFileSync(file, valid);
    expect(await problemsOf(file, { maxBytes: 100 })).toEqual([
      `1:1: cannot read the playbook: it is ${Buffer.byteLength(valid)} bytes; the limit is 100 bytes`,
    ]);
  });

  it('refuses a directory, a missing file and a binary file with exit 2 and no stack trace', () => {
    const cases: Array<[string, string]> = [
      [tmp, 'cannot read the playbook: it is a directory, not a file'],
      [join(tmp, 'nope.yaml'), 'cannot read the playbook: it does not exist'],
      [
        fileURLToPath(new URL('../fixtures/bad-playbooks/binary.yaml', import.meta.url)),
        'cannot read the playbook: it is a binary file (it contains NUL bytes), not text',
      ],
    ];
    for (const [file, message] of cases) {
      const r = validate(file);
      expect(r.status).toBe(2);
      expect(r.output).toContain(`${file}:1:1: ${message}`);
      expect(r.output).not.toMatch(/\n\s+at |internal error/);
    }
  });

  it('refuses a YAML alias bomb in well under a second', async () => {
    const bomb = fileURLToPath(new URL('../fixtures/bad-playbooks/alias-bomb.yaml', import.meta.url));
    // Expanded, the fixture is 10^9 nodes (minutes and gigabytes), so finishing at all shows it was
    // refused; the loose bound keeps this steady on a loaded 2-core CI machine.
    const started = performance.now();
    const problems = await problemsOf(bomb);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems[0]).toContain('too many YAML aliases');
    expect(readFileSync(bomb, 'utf8')).toContain('*h, *h');
  });
});
