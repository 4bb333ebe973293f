/**
 * Found by `psremedy test` (termservice-stopped+cert-expired, wrong-port): a fix can clear a second
 * cause as a side effect (starting TermService renews an expired certificate), so a cause whose
 * fix finds the host already compliant is diagnosed again rather than reported as remaining.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { memoryRun } from '../engine/support/settings-fixture.js';

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'psremedy-stale-'));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

describe('a cause another fix already cleared', () => {
  it('is diagnosed again when its own fix finds the host compliant, and does not remain', async () => {
    const r = memoryRun({ a: 1, b: 2 }, { stateDir, confidences: { a: 0.95, b: 0.9 } });
    r.world.state = { a: 0, b: 0 };
    const applyA = r.world.scripts['apply-a'];
    // Setting a also sets b, as starting TermService also renews an expired certificate.
    r.world.scripts['apply-a'] = (params, world, whatIf) => {
      const answer = applyA?.(params, world, whatIf);
      if (!whatIf) world.state.b = 2;
      return answer ?? { result: null };
    };
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    const rechecks = r.events.flatMap((e) =>
      e.type === 'cause.recheck' ? [[e.cause, e.fixedBy, e.cleared]] : [],
    );
    expect(rechecks).toEqual([
      ['a-wrong', 'fix_a', true],
      ['b-wrong', 'fix_b', true],
    ]);
    expect(r.events.find((e) => e.type === 'step.end' && e.stepId === 'fix_b')).toMatchObject({
      status: 'ok',
    });
    expect(r.events.find((e) => e.type === 'summary')).toMatchObject({ remaining: [], fixed: ['fix_a'] });
    expect(result.outcome).toBe('changed');
  });

  it('is not diagnosed again when nothing changed before its fix found the host compliant', async () => {
    const r = memoryRun({ a: 1 }, { stateDir, confidences: { a: 0.9 } });
    r.world.state = { a: 0 };
    // The diagnosis and the fix's test disagree: the test says compliant.
    r.world.scripts['test-a'] = () => ({ result: { compliant: true, state: { value: 0 } } });
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    expect(r.events.filter((e) => e.type === 'cause.recheck')).toEqual([]);
    expect(result.outcome).toBe('problemsRemain');
  });
});
