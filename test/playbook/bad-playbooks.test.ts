import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/cli/run-action.js';
import { PlaybookError } from '../../src/core/errors.js';
import { loadPlaybook } from '../../src/playbook/index.js';

const dir = fileURLToPath(new URL('../fixtures/bad-playbooks/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/psremedy.js', import.meta.url));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** The problems as `line:col: path: message` (+ hint lines), fixture folder written as <fixtures>. */
function render(error: PlaybookError): string {
  return error.problems
    .map((p) => formatProblem({ ...p, file: '' }).replace(/^:/, ''))
    .join('\n')
    .replaceAll(dir.replace(/\/$/, ''), '<fixtures>');
}

describe('malformed playbooks', () => {
  it('has at least 30 of them, each with its expected problems', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    for (const f of fixtures)
      expect(readFileSync(join(dir, f.replace(/\.yaml$/, '.expected')), 'utf8')).not.toBe('');
  });

  it.each(fixtures)('reports every problem in %s with its exact message and position', async (name) => {
    const expected = readFileSync(join(dir, name.replace(/\.yaml$/, '.expected')), 'utf8').trimEnd();
    const file = join(dir, name);
    const error = await loadPlaybook(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlaybookError);
    const problems = (error as PlaybookError).problems;
    expect(problems.every((p) => p.file === file && p.severity === 'error')).toBe(true);
    expect(render(error as PlaybookError)).toBe(expected);
  });

  it('exits 2 for all of them through the built CLI, with JSON and no stack trace', () => {
    const files = fixtures.map((f) => join(dir, f));
    const r = spawnSync(process.execPath, [bin, 'validate', '--json', ...files], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { valid: boolean; files: Array<{ file: string; valid: boolean }> };
    expect(report.valid).toBe(false);
    expect(report.files.map((f) => f.file)).toEqual(files);
    expect(report.files.every((f) => !f.valid)).toBe(true);
  });

  it('prints file:line:col: path: message lines and a summary in text mode, exit 2', () => {
    const file = join(dir, 'unknown-step-key.yaml');
    const r = spawnSync(process.execPath, [bin, 'validate', file], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(
      `${file}:9:5: steps.0.timout: unknown key "timout"\n    did you mean "timeout"?`,
    );
    expect(r.stdout).toContain('1 problem(s) in 1 of 1 playbook(s)');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /);
  });
});
