import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli-support.js';

const badPlaybooks = fileURLToPath(new URL('../fixtures/bad-playbooks/', import.meta.url));
const badScriptParams = fileURLToPath(new URL('../fixtures/bad-script-params/', import.meta.url));
const yamlIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));

// Their problem is in an undo script, which `run --check` never calls: a real run, then rollback.
const FOUND_BY_ROLLBACK = new Set(['undo-lacks-parameter.yaml']);

interface Problem {
  line: number;
  col: number;
  path: string;
  message: string;
}

/** What validate --json said of one file: refused or not, and its problems. */
interface Verdict {
  valid: boolean;
  problems: Problem[];
}

let verdicts: Promise<Map<string, Verdict>> | undefined;

/**
 * validate --json on every fixture at once (one CLI start instead of one per file): each file's
 * verdict, after checking that the command itself refused them with exit 2.
 */
async function validate(file: string): Promise<Verdict> {
  verdicts ??= (async () => {
    const home = mkdtempSync(join(tmpdir(), 'psremedy-agree-'));
    const files = [...yamlIn(badPlaybooks), ...yamlIn(badScriptParams)];
    const r = await cli(['validate', '--json', ...files], home);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout) as { files: Array<{ file: string } & Verdict> };
    return new Map(report.files.map((f) => [f.file, { valid: f.valid, problems: f.problems }]));
  })();
  const verdict = (await verdicts).get(file);
  expect(verdict, `validate said nothing of ${file}`).toBeDefined();
  return verdict as Verdict;
}

const problemLine = (file: string, p: Problem) =>
  `${file}:${p.line}:${p.col}: ${p.path ? `${p.path}: ` : ''}${p.message}`;

describe('validate and run --check agree on every malformed playbook', () => {
  it.each(yamlIn(badPlaybooks))('%s: both refuse it, with the same problems', async (file) => {
    const home = mkdtempSync(join(tmpdir(), 'psremedy-agree-'));
    const checked = await validate(file);
    expect(checked.valid).toBe(false);
    expect(checked.problems.length).toBeGreaterThan(0);
    const run = await cli(['run', file, '--check', '--output', 'ndjson'], home);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toContain('"type":"step.start"');
    const runLines = run.stderr.split('\n');
    for (const problem of checked.problems.filter((p) => p.path !== undefined))
      expect(runLines).toContain(problemLine(file, problem));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.each(yamlIn(badScriptParams))(
    '%s: validate refuses it, and the run fails the same step over the same parameter',
    async (file) => {
      const home = mkdtempSync(join(tmpdir(), 'psremedy-agree-'));
      const checked = await validate(file);
      expect(checked.valid).toBe(false);
      const [problem] = checked.problems;
      expect(problem).toBeDefined();
      // steps.<i>.with[.<Key>] -> the step, and the parameter names the problem mentions.
      const [, index, , key] = problem!.path.split('.');
      const names = [
        ...(key ? [key] : []),
        ...[...problem!.message.matchAll(/-([A-Za-z]\w*)/g)].map((m) => m[1]!),
      ];
      const name = file.split('/').pop()!;
      const run = FOUND_BY_ROLLBACK.has(name)
        ? await runThenRollBack(file, home)
        : await cli(['run', file, '--check', '--output', 'ndjson'], home);
      const failures = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { type: string; stepId?: string; status?: string })
        .filter(
          (e) =>
            (e.type === 'step.end' || e.type === 'rollback.step') && /failed|Failed/.test(e.status ?? ''),
        );
      expect(failures.length, run.stdout + run.stderr).toBeGreaterThan(0);
      const reason = JSON.stringify(failures[0]);
      expect(Number(index)).toBe(0);
      expect(
        names.some((n) => reason.includes(n)),
        `${reason} names none of ${names}`,
      ).toBe(true);
    },
    120_000,
  );
});

async function runThenRollBack(file: string, home: string) {
  const run = await cli(['run', file, '--yes', '--output', 'ndjson'], home);
  const runId = /"runId":"([^"]+)"/.exec(run.stdout)?.[1] ?? '';
  return cli(['rollback', runId, '--output', 'ndjson'], home);
}
