/**
 * Cause ids in findings are checked against the playbook: a literal one at validate time, at the
 * script's line:col, and any one (even built at run time) when the diagnose step runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFindingCauses, findCauseLiterals } from '../../src/playbook/check-finding-causes.js';
import { loadPlaybook } from '../../src/playbook/load-playbook.js';
import { listShippedPlaybooks } from '../../src/playbook/shipped-playbooks.js';

const bin = fileURLToPath(new URL('../../bin/psremedy.js', import.meta.url));
const dir = fileURLToPath(new URL('../fixtures/cause-ids/', import.meta.url));
const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-cause-ids-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('cause ids in findings', () => {
  it('reads literal ids from New-Finding calls and cause = hashtable entries, not interpolated ones', () => {
    const text = [
      "$f.Add((New-Finding 'firewall-closed' 0.9 'closed'))",
      "  [pscustomobject]@{ cause = 'b-wrong'; confidence = 1 }",
      '  [pscustomobject]@{ cause = "$name-wrong"; confidence = 1 }',
    ].join('\n');
    expect(findCauseLiterals(text)).toEqual([
      { cause: 'firewall-closed', line: 1, col: 21 },
      { cause: 'b-wrong', line: 2, col: 30 },
    ]);
  });

  it('are all declared in every shipped playbook (its own causes, or a shipped one for shared scripts)', async () => {
    for (const { file } of listShippedPlaybooks())
      expect(checkFindingCauses(await loadPlaybook(file))).toEqual([]);
  });

  it('fails validate at the misspelt id in the script, with the declared one suggested', () => {
    const r = spawnSync(process.execPath, [bin, 'validate', '--no-parse-scripts', join(dir, 'typo.yaml')], {
      encoding: 'utf8',
    });
    const script = readFileSync(join(dir, 'scripts/Test-Feature.ps1'), 'utf8').split('\n');
    const line = script.findIndex((l) => l.includes("'feature-of'"));
    const col = (script[line] as string).indexOf("'feature-of'") + 1;
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`Test-Feature.ps1:${line + 1}:${col}: a finding names cause "feature-of"`);
    expect(r.stdout).toContain('did you mean "feature-off"?');
  });

  it('fails the diagnose step with the id named when a script builds an undeclared one at run time', () => {
    const file = join(dir, 'built.yaml');
    expect(spawnSync(process.execPath, [bin, 'validate', '--no-parse-scripts', file]).status).toBe(0);
    const r = spawnSync(
      process.execPath,
      [bin, 'run', file, '--yes', '--output', 'ndjson', '--state-dir', stateDir],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const events = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const end = events.find((e) => e.type === 'step.end' && e.stepId === 'look');
    expect(end?.status).toBe('failed');
    expect(end?.reason).toContain(
      '"feature-of", which the playbook does not declare (its causes: feature-off)',
    );
    const ranked = events.find((e) => e.type === 'causes.ranked')?.causes ?? [];
    expect(ranked.map((c: { cause: string }) => c.cause)).toEqual(['feature-off']);
  });
});
