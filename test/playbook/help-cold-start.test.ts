import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/psremedy.js', import.meta.url));
const hook = fileURLToPath(new URL('./helpers/record-imports.mjs', import.meta.url));
const example = fileURLToPath(new URL('../../playbooks/example-settings.yaml', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'psremedy-imports-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEAVY = /node_modules\/(yaml|zod|node-powershell|@inquirer|listr2|@listr2|@marcbachmann)\//;

function importsOf(args: string[], name: string): { status: number | null; urls: string[] } {
  const log = join(tmp, `${name}.log`);
  const r = spawnSync(process.execPath, ['--import', hook, bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PSREMEDY_IMPORT_LOG: log },
  });
  return { status: r.status, urls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('psremedy --help (the cold-start path)', () => {
  it('loads no yaml, zod, CEL, node-powershell, listr2 or prompt modules', () => {
    const { status, urls } = importsOf(['--help'], 'help');
    expect(status).toBe(0);
    // Every subcommand's registration is loaded for help, so the hook does see the CLI's imports.
    expect(urls.some((u) => u.includes('dist/cli/commands/run/index.js'))).toBe(true);
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it('does load them for validate (so the check above can fail)', () => {
    const { status, urls } = importsOf(['validate', example], 'validate');
    expect(status).toBe(0);
    expect(urls.some((u) => u.includes('node_modules/yaml/'))).toBe(true);
    expect(urls.some((u) => u.includes('node_modules/zod/'))).toBe(true);
  });
});
