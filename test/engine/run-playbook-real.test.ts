/** The engine against real PowerShell: one session for the file, state kept in a JSON file per test. */
import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { createTargetSessions } from '../../src/engine/target-sessions.js';
import { createColors } from '../../src/ui/colors.js';
import type { PromptAdapter } from '../../src/ui/prompt-adapter.js';
import { createPromptDecider } from '../../src/ui/prompt-decider.js';
import { prepareFixtureRun } from './support/real-fixture.js';
import { scriptedDecider } from './support/settings-fixture.js';

const sessions = createTargetSessions({ client: { kind: 'local' }, target: { kind: 'local' } });
afterAll(() => sessions.close());

const undone = (events: Awaited<ReturnType<typeof prepareFixtureRun>>['events']) =>
  events.flatMap((e) => (e.type === 'rollback.step' ? [[e.stepId, e.status]] : []));

describe('runPlaybook with real PowerShell', () => {
  it('fixes what the diagnosis found and nothing else', async () => {
    const f = await prepareFixtureRun(sessions, { a: 0, b: 2, c: 0 });
    const result = await runPlaybook(f.options);
    expect(result.outcome).toBe('changed');
    expect(f.readState()).toEqual({ a: 1, b: 2, c: 3 });
    const skipped = f.events.find((e) => e.type === 'step.end' && e.stepId === 'fix_b');
    expect(skipped).toMatchObject({
      status: 'skipped',
      reason: 'cause not detected: b-wrong (confidence 0)',
    });
  });

  it('rolls back completed fixes in reverse order when a later fix fails, restoring the state', async () => {
    const f = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 0 }, { FailApply: 'c' });
    const result = await runPlaybook(f.options);
    expect(result.outcome).toBe('rolledBack');
    expect(undone(f.events)).toEqual([
      ['fix_c', 'rolledBack'],
      ['fix_b', 'rolledBack'],
      ['fix_a', 'rolledBack'],
    ]);
    expect(f.readState()).toEqual({ a: 0, b: 0, c: 0 });
  });

  it('rolls back when a verify does not pass', async () => {
    const f = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 3 }, { NoopApply: 'b' });
    const result = await runPlaybook(f.options);
    expect(result.outcome).toBe('rolledBack');
    expect(f.events.find((e) => e.type === 'step.end' && e.stepId === 'fix_b')).toMatchObject({
      status: 'failed',
      reason: 'verify: still not compliant after apply',
    });
    expect(f.readState()).toEqual({ a: 0, b: 0, c: 3 });
  });

  it('rolls back on abort at a prompt; the prompt shows the -WhatIf preview of the real script', async () => {
    const questions: string[] = [];
    const answers = ['apply', 'abort'];
    const prompts: PromptAdapter = {
      async select(q) {
        questions.push(q.message);
        return answers.shift() as never;
      },
      async confirm() {
        return true;
      },
    };
    const f = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 3 });
    const decider = createPromptDecider(prompts, createColors({ isTTY: false }), () => {});
    const result = await runPlaybook({ ...f.options, decider, mode: { interactive: true } });
    expect(result.outcome).toBe('rolledBack');
    expect(questions[0]).toMatch(/now: value: 0\n/);
    expect(questions[0]).toMatch(/What if: .*Set a from 0 to 1/);
    expect(f.readState()).toEqual({ a: 0, b: 0, c: 3 });
  });

  it('reports revertUnverified, loudly, when an undo silently does nothing', async () => {
    const f = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 3 }, { NoopUndo: 'a', FailApply: 'b' });
    const result = await runPlaybook(f.options);
    expect(result.outcome).toBe('problemsRemain');
    expect(f.events.find((e) => e.type === 'rollback.step' && e.stepId === 'fix_a')).toMatchObject({
      status: 'revertUnverified',
      before: { value: 0 },
      state: { value: 1 },
    });
    expect(readJournal(result.journalPath).find((r) => r.type === 'rollback-end')).toMatchObject({
      status: 'revertUnverified',
    });
  });

  it('changes nothing in --check mode', async () => {
    const f = await prepareFixtureRun(sessions, { a: 0, b: 2, c: 0 });
    const bytes = readFileSync(f.statePath);
    const mtime = statSync(f.statePath).mtimeMs;
    const result = await runPlaybook({ ...f.options, mode: { interactive: false, check: true, diff: true } });
    expect(readFileSync(f.statePath)).toEqual(bytes);
    expect(statSync(f.statePath).mtimeMs).toBe(mtime);
    expect(result.outcome).toBe('problemsRemain');
    const impacts = f.events.flatMap((e) =>
      e.type === 'step.end' && e.impact ? [[e.stepId, e.impact]] : [],
    );
    expect(impacts).toEqual([
      ['fix_a', 'wouldChange'],
      ['fix_c', 'wouldChange'],
    ]);
    expect(readJournal(result.journalPath).some((r) => r.type === 'intent')).toBe(false);
  });

  it('applies only the steps --only names, and starts at --start-at', async () => {
    const only = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 0 });
    await runPlaybook({ ...only.options, selection: { only: ['fix_b'] } });
    expect(only.readState()).toEqual({ a: 0, b: 2, c: 0 });
    const start = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 0 });
    await runPlaybook({ ...start.options, selection: { startAt: 'fix_b' } });
    expect(start.readState()).toEqual({ a: 0, b: 2, c: 3 });
  });

  it('marks a step that runs past its timeout timedOut, and rolls back', async () => {
    const f = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 3 }, { SlowBefore: 'b' });
    const started = performance.now();
    const result = await runPlaybook({
      ...f.options,
      mode: { interactive: false, yes: true, defaultTimeoutMs: 2000 },
    });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(f.events.find((e) => e.type === 'step.end' && e.stepId === 'fix_b')).toMatchObject({
      status: 'timedOut',
    });
    expect(result.outcome).toBe('rolledBack');
    expect(f.readState()).toEqual({ a: 0, b: 0, c: 3 });
  });

  it('asks nothing and applies with --yes', async () => {
    const { decider, asked } = scriptedDecider({});
    const f = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 0 });
    await runPlaybook({ ...f.options, decider });
    expect(asked).toEqual([]);
    expect(f.readState()).toEqual({ a: 1, b: 2, c: 3 });
  });
});
