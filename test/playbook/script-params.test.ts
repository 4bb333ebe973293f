import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validatePlaybooks } from '../../src/cli/commands/validate/validate-playbooks.js';

const dir = fileURLToPath(new URL('../fixtures/bad-script-params/', import.meta.url));
const good = fileURLToPath(new URL('../fixtures/playbooks/script-params-ok.yaml', import.meta.url));
const example = fileURLToPath(new URL('../../playbooks/example-settings.yaml', import.meta.url));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Runs validate (with PowerShell's parser) on files; its exit code and what it printed. */
async function validate(files: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await validatePlaybooks(
    files,
    { json: false, parseScripts: true },
    { out: (t) => out.push(t), err: (t) => err.push(t) },
  );
  return { code, out, err };
}

describe("validate checks with: against each script's param() block, as PowerShell will bind it", () => {
  it('has a fixture for each kind of binding failure, each with its expected output', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fixtures)(
    'reports %s at the with: entry, naming the script and parameter',
    async (name) => {
      const expected = readFileSync(join(dir, name.replace(/\.yaml$/, '.expected')), 'utf8').trimEnd();
      const { code, out, err } = await validate([join(dir, name)]);
      expect(err).toEqual([]);
      expect(code).toBe(2);
      const lines = out.slice(0, -1).map((l) => l.replace(/^.*?\.yaml:/, ''));
      expect(lines.join('\n')).toBe(expected);
    },
    120_000,
  );

  it('accepts prefixes, aliases, common parameters, a scalar for an array and numbers for a bool', async () => {
    const { code, out } = await validate([good]);
    expect(out).toEqual([`ok ${good} (1 steps, 1 scripts)`]);
    expect(code).toBe(0);
  }, 120_000);

  it('passes the example playbook, whose undo script accepts the with: its test and apply get', async () => {
    const { code, out } = await validate([example]);
    expect(out).toEqual([`ok ${example} (2 steps, 4 scripts)`]);
    expect(code).toBe(0);
  }, 120_000);
});
