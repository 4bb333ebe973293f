/**
 * A preview never changes anything: an apply script that does not declare SupportsShouldProcess
 * (swapped in after validation) is not run under -WhatIf at all, at a fix prompt or in --check.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import type { IntentRecord } from '../../src/engine/journal-records.js';
import type { RunContext } from '../../src/engine/run-context.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { callStepScript } from '../../src/engine/script-call.js';
import { createTargetSessions } from '../../src/engine/target-sessions.js';
import { prepareFixtureRun } from './support/real-fixture.js';
import { scriptedDecider } from './support/settings-fixture.js';

const sessions = createTargetSessions({ client: { kind: 'local' }, target: { kind: 'local' } });
afterAll(() => sessions.close());

// Sets the key for real: without [CmdletBinding(SupportsShouldProcess)], -WhatIf lands in $args.
const UNSAFE_APPLY = `param([string] $StatePath, [string] $Key, [int] $Good, $Faults)
$state = [System.IO.File]::ReadAllText($StatePath) | ConvertFrom-Json
$before = $state.$Key
$state.$Key = $Good
[System.IO.File]::WriteAllText($StatePath, ($state | ConvertTo-Json))
[pscustomobject]@{ changed = $true; before = @{ value = $before }; after = @{ value = $Good } }
`;

async function prepareSwappedRun(state: Record<string, number>) {
  const f = await prepareFixtureRun(sessions, state);
  const path = f.options.playbook.scriptPath(
    f.options.playbook.doc.steps.find((s) => s.id === 'fix_a') ?? f.options.playbook.doc.steps[1]!,
    'apply',
  );
  const loaded = f.options.playbook.scripts.get(path);
  if (!loaded) throw new Error(`${path} not loaded`);
  const sha256 = createHash('sha256').update(UNSAFE_APPLY).digest('hex');
  f.options.playbook.scripts.set(path, { ...loaded, text: UNSAFE_APPLY, sha256 });
  return f;
}

describe('a preview of an apply script without SupportsShouldProcess', () => {
  it('is "no preview available" at the fix prompt and the script never runs', async () => {
    const f = await prepareSwappedRun({ a: 0, b: 2, c: 3 });
    const before = readFileSync(f.statePath);
    const { decider, asked } = scriptedDecider({ fix: ['skip'] });
    const result = await runPlaybook({ ...f.options, decider, mode: { interactive: true } });
    expect(readFileSync(f.statePath).equals(before)).toBe(true);
    const preview = asked.find((a) => a.question === 'fix')?.preview;
    expect(preview?.noPreview).toMatch(
      /does not declare \[CmdletBinding\(SupportsShouldProcess\)\].*not run/,
    );
    expect(preview?.whatIf).toEqual([]);
    const records = readJournal(result.journalPath);
    expect(records.some((r) => r.type === 'intent')).toBe(false);
  });

  it('is reported, not run, by --check --diff, which leaves the state byte-equal', async () => {
    const f = await prepareSwappedRun({ a: 0, b: 2, c: 3 });
    const before = readFileSync(f.statePath);
    const result = await runPlaybook({ ...f.options, mode: { interactive: false, check: true, diff: true } });
    expect(readFileSync(f.statePath).equals(before)).toBe(true);
    expect(f.events).toContainEqual(
      expect.objectContaining({ type: 'step.diff', stepId: 'fix_a', noPreview: expect.any(String) }),
    );
    expect(f.events).toContainEqual(
      expect.objectContaining({
        type: 'step.end',
        stepId: 'fix_a',
        status: 'skipped',
        reason: expect.stringMatching(/^check mode: would change \(no preview available: /),
      }),
    );
    expect(readJournal(result.journalPath).some((r) => r.type === 'intent' || r.type === 'applied')).toBe(
      false,
    );
  });

  it('a script that does declare it still previews: its What if lines are shown and nothing changes', async () => {
    const f = await prepareFixtureRun(sessions, { a: 0, b: 2, c: 3 });
    const before = readFileSync(f.statePath);
    const { decider, asked } = scriptedDecider({ fix: ['skip'] });
    await runPlaybook({ ...f.options, decider, mode: { interactive: true } });
    expect(readFileSync(f.statePath).equals(before)).toBe(true);
    const preview = asked.find((a) => a.question === 'fix')?.preview;
    expect(preview?.noPreview).toBeUndefined();
    expect(preview?.whatIf.join('\n')).toMatch(/What if: .*Set a from 0 to 1/);
  });

  it('the engine refuses to run an apply for real without its journaled intent, and always in --check', async () => {
    const f = await prepareFixtureRun(sessions, { a: 0, b: 2, c: 3 });
    const before = readFileSync(f.statePath);
    const { playbook } = f.options;
    const step = playbook.doc.steps.find((s) => s.id === 'fix_a');
    if (!step) throw new Error('fixture has no fix_a');
    const params = { StatePath: f.statePath, Key: 'a', Good: 1 };
    const sha256 = playbook.scripts.get(playbook.scriptPath(step, 'apply'))?.sha256 ?? '';
    const intent = { type: 'intent', stepId: 'fix_a', apply: { path: 'x', sha256 } } as IntentRecord;
    const run = (check: boolean) =>
      ({
        playbook,
        sessions,
        params: {},
        secretParams: () => [],
        mode: { check, defaultTimeoutMs: 30_000 },
      }) as unknown as RunContext;
    await expect(callStepScript(run(false), step, 'apply', params)).rejects.toThrow(/no intent record/);
    await expect(
      callStepScript(run(false), step, 'apply', params, { intent: { ...intent, stepId: 'fix_b' } }),
    ).rejects.toThrow(/intent is for fix_b/);
    await expect(callStepScript(run(true), step, 'apply', params, { intent })).rejects.toThrow(/check mode/);
    expect(readFileSync(f.statePath).equals(before)).toBe(true);
    const applied = await callStepScript(run(false), step, 'apply', params, { intent });
    expect(applied.status).toBe('ok');
    expect(f.readState()).toEqual({ a: 1, b: 2, c: 3 });
  });
});
