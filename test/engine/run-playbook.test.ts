/**
 * The engine's state machine over an in-memory test double (memory-session.ts). The same
 * behaviours are checked against real PowerShell in run-playbook-real.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { readJournal } from '../../src/engine/journal.js';
import type { JournalRecord } from '../../src/engine/journal-records.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { MemoryWorld, memoryPlaybook, memorySessions } from './support/memory-session.js';
import {
  diagnoseScript,
  memoryRun,
  scriptedDecider,
  settingScripts,
  settingsDoc,
} from './support/settings-fixture.js';

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'psremedy-engine-'));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

const undoCalls = (calls: string[]) => calls.filter((c) => c.startsWith('undo-'));
const applyCalls = (calls: string[]) => calls.filter((c) => c.startsWith('apply-') && !c.endsWith('-WhatIf'));
const journalOf = (path: string): JournalRecord[] => readJournal(path);

describe('runPlaybook (state machine, in-memory test double)', () => {
  it('fixes detected causes strongest first, verifies each, and reports changed', async () => {
    const r = memoryRun({ a: 1, b: 2 }, { stateDir, confidences: { a: 0.6, b: 0.95 } });
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    expect(result.outcome).toBe('changed');
    expect(r.world.state).toEqual({ a: 1, b: 2 });
    expect(applyCalls(r.world.calls)).toEqual(['apply-b', 'apply-a']);
    const ranked = r.events.find((e) => e.type === 'causes.ranked');
    expect(ranked?.type === 'causes.ranked' && ranked.causes.map((c) => c.cause)).toEqual([
      'b-wrong',
      'a-wrong',
    ]);
    const types = journalOf(result.journalPath).map((x) => x.type);
    expect(types.indexOf('intent')).toBeLessThan(types.indexOf('applied'));
    expect(types.at(-1)).toBe('run-end');
  });

  it('rolls back completed fixes in reverse order when a later fix fails', async () => {
    const r = memoryRun({ a: 1, b: 2, c: 3 }, { stateDir, faults: { c: { applyFails: true } } });
    r.world.state = { a: 0, b: 0, c: 0 };
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    expect(result.outcome).toBe('rolledBack');
    expect(undoCalls(r.world.calls)).toEqual(['undo-b', 'undo-a']);
    expect(r.world.state).toEqual({ a: 0, b: 0, c: 0 });
    const rollback = r.events
      .filter((e) => e.type === 'rollback.step')
      .map((e) => e.type === 'rollback.step' && [e.stepId, e.status]);
    expect(rollback).toEqual([
      ['fix_c', 'rolledBack'],
      ['fix_b', 'rolledBack'],
      ['fix_a', 'rolledBack'],
    ]);
  });

  it('rolls back, including the failed step, when a verify does not pass', async () => {
    const r = memoryRun({ a: 1, b: 2 }, { stateDir, faults: { b: { applyDoesNothing: true } } });
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    expect(result.outcome).toBe('rolledBack');
    const end = r.events.find((e) => e.type === 'step.end' && e.stepId === 'fix_b');
    expect(end?.type === 'step.end' && end.reason).toContain('verify');
    expect(undoCalls(r.world.calls)).toEqual(['undo-b', 'undo-a']);
    expect(r.world.state).toEqual({ a: 0, b: 0 });
  });

  it('rolls back on "abort and roll back" at a prompt, and shows the preview first', async () => {
    const { decider, asked } = scriptedDecider({ fix: ['apply', 'abort'] });
    const r = memoryRun({ a: 1, b: 2 }, { stateDir, decider });
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook(r.runOptions);
    expect(result.outcome).toBe('rolledBack');
    expect(asked.map((a) => a.stepId)).toEqual(['fix_a', 'fix_b']);
    expect(asked[0]?.preview?.state).toEqual({ value: 0 });
    expect(asked[0]?.preview?.causes.map((c) => c.cause)).toEqual(['a-wrong']);
    expect(asked[0]?.preview?.whatIfResult).toEqual({ wouldSet: 1 });
    expect(r.world.calls).toContain('apply-a -WhatIf');
    expect(r.world.state).toEqual({ a: 0, b: 0 });
  });

  it('shows the confirm text with its params filled in, secret ones masked', async () => {
    const { decider, asked } = scriptedDecider({ fix: ['skip'] });
    const confirm = 'Opens port ${{ params.Port }} to ${{ params.Scope }} with ${{ params.Token }}.';
    const r = memoryRun({ a: 1 }, { stateDir, decider, extra: { a: { confirm } } });
    r.playbook.doc.params.Token = { type: 'string', required: true, secret: true };
    r.world.state = { a: 0 };
    await runPlaybook({ ...r.runOptions, params: { Port: 3390, Scope: 'LocalSubnet', Token: 's3cr3t' } });
    expect(asked[0]?.preview?.step.confirm).toBe('Opens port 3390 to LocalSubnet with ********.');
  });

  it('reports revertUnverified when an undo silently does nothing', async () => {
    const r = memoryRun(
      { a: 1, b: 2 },
      { stateDir, faults: { a: { undoDoesNothing: true }, b: { applyFails: true } } },
    );
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    expect(result.outcome).toBe('problemsRemain');
    const step = r.events.find((e) => e.type === 'rollback.step' && e.stepId === 'fix_a');
    expect(step).toMatchObject({ status: 'revertUnverified', state: { value: 1 }, before: { value: 0 } });
    const summary = r.events.find((e) => e.type === 'summary');
    expect(summary?.type === 'summary' && summary.counts.revertUnverified).toBe(1);
  });

  it('changes nothing in --check mode and says what would change', async () => {
    const r = memoryRun({ a: 1, b: 2 }, { stateDir });
    r.world.state = { a: 0, b: 2 };
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, check: true } });
    expect(r.world.state).toEqual({ a: 0, b: 2 });
    expect(applyCalls(r.world.calls)).toEqual([]);
    expect(result.outcome).toBe('problemsRemain');
    const ends = r.events.filter((e) => e.type === 'step.end');
    expect(ends.find((e) => e.stepId === 'fix_a')).toMatchObject({
      impact: 'wouldChange',
      reason: 'check mode: would change',
    });
    expect(ends.find((e) => e.stepId === 'fix_b')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('not detected'),
    });
  });

  it('skips fix steps for causes that were not detected and says why', async () => {
    const r = memoryRun({ a: 1, b: 2 }, { stateDir });
    r.world.state = { a: 1, b: 0 };
    await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    const end = r.events.find((e) => e.type === 'step.end' && e.stepId === 'fix_a');
    expect(end).toMatchObject({ status: 'skipped', reason: 'cause not detected: a-wrong (confidence 0)' });
    expect(r.world.calls).not.toContain('test-a');
  });

  it('tries the next fix for a cause when the first one does not clear it', async () => {
    const scripts = {
      diag: diagnoseScript({ x: 1 }),
      ...settingScripts('y', 1),
      ...settingScripts('x', 1),
    };
    const world = new MemoryWorld(scripts);
    world.state = { x: 0, y: 0 };
    const doc = settingsDoc(['x']);
    const fixY = {
      ...doc.steps[1],
      id: 'fix_y',
      title: 'Set y',
      test: 'test-y',
      apply: 'apply-y',
      undo: 'undo-y',
    };
    doc.steps.splice(1, 0, fixY);
    const events: EngineEvent[] = [];
    const r = memoryRun({ x: 1 }, { stateDir });
    await runPlaybook({
      ...r.runOptions,
      playbook: memoryPlaybook(doc, Object.keys(scripts)),
      sessions: memorySessions(world),
      onEvent: (e) => events.push(e),
      mode: { interactive: false, yes: true },
    });
    const rechecks = events.flatMap((e) => (e.type === 'cause.recheck' ? [[e.fixedBy, e.cleared]] : []));
    expect(rechecks).toEqual([
      ['fix_y', false],
      ['fix_x', true],
    ]);
    expect(world.state).toEqual({ x: 1, y: 1 });
    expect(events.find((e) => e.type === 'summary')).toMatchObject({ outcome: 'changed', remaining: [] });
  });

  it('refuses up front without a terminal, naming --yes and the steps that need consent', async () => {
    const r = memoryRun({ a: 1, b: 2 }, { stateDir });
    const run = runPlaybook({ ...r.runOptions, mode: { interactive: false } });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(/--yes[\s\S]*/);
    await expect(runPlaybook({ ...r.runOptions, mode: { interactive: false } })).rejects.toThrow(
      /fix_a: Set a \(risk low\)[\s\S]*fix_b/,
    );
    expect(r.world.calls).toEqual([]);
  });

  it('runs only the steps --only names, and from --start-at on', async () => {
    const only = memoryRun({ a: 1, b: 2 }, { stateDir });
    only.world.state = { a: 0, b: 0 };
    await runPlaybook({
      ...only.runOptions,
      mode: { interactive: false, yes: true },
      selection: { only: ['fix_b'] },
    });
    expect(only.world.state).toEqual({ a: 0, b: 2 });
    expect(only.world.calls).not.toContain('diag');

    const start = memoryRun({ a: 1, b: 2 }, { stateDir });
    start.world.state = { a: 0, b: 0 };
    await runPlaybook({
      ...start.runOptions,
      mode: { interactive: false, yes: true },
      selection: { startAt: 'fix_b' },
    });
    expect(start.world.state).toEqual({ a: 0, b: 2 });
  });

  it('names an unknown step id with a suggestion', async () => {
    const r = memoryRun({ a: 1 }, { stateDir });
    await expect(runPlaybook({ ...r.runOptions, selection: { only: ['fix_aa'] } })).rejects.toThrow(
      /no step "fix_aa".*did you mean "fix_a"/,
    );
  });

  it('skips fix steps outside a policy as "not approved" without asking, and journals the approval', async () => {
    const { decider, asked } = scriptedDecider({});
    const r = memoryRun({ a: 1, b: 2 }, { stateDir, decider, extra: { b: { risk: 'high' } } });
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook({
      ...r.runOptions,
      mode: { interactive: false },
      policy: {
        maxRisk: 'medium',
        onStart: (journal) => journal.append({ type: 'approval', details: { keyId: 'k1' } }),
      },
    });
    expect(asked).toEqual([]);
    expect(r.world.state).toEqual({ a: 1, b: 0 });
    const end = r.events.find((e) => e.type === 'step.end' && e.stepId === 'fix_b');
    expect(end?.type === 'step.end' && end.reason).toMatch(/^not approved/);
    expect(journalOf(result.journalPath).find((x) => x.type === 'approval')).toMatchObject({
      details: { keyId: 'k1' },
    });
  });

  it('undoes a revertUnlessConfirmed change that is not confirmed in time', async () => {
    const { decider } = scriptedDecider({ keep: ['never'] });
    const r = memoryRun(
      { a: 1 },
      { stateDir, decider, extra: { a: { revertUnlessConfirmed: '50ms', risk: 'disruptive' } } },
    );
    r.world.state = { a: 0 };
    const result = await runPlaybook(r.runOptions);
    expect(r.world.state).toEqual({ a: 0 });
    expect(r.events.find((e) => e.type === 'step.end' && e.stepId === 'fix_a')).toMatchObject({
      status: 'rolledBack',
    });
    expect(
      journalOf(result.journalPath).find((x) => x.type === 'decision' && x.decision === 'revert'),
    ).toMatchObject({ by: 'timeout' });
  });

  it('reconnects and verifies when a disruptive fix drops the connection', async () => {
    const r = memoryRun(
      { a: 1 },
      { stateDir, faults: { a: { applyLosesConnection: true } }, extra: { a: { risk: 'disruptive' } } },
    );
    r.world.state = { a: 0 };
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    expect(r.sessions.reopened).toBe(1);
    expect(result.outcome).toBe('changed');
  });

  it('on Ctrl+C kills the running script, rolls back and ends cancelled', async () => {
    const controller = new AbortController();
    const r = memoryRun({ a: 1, b: 2 }, { stateDir });
    const applyB = r.world.scripts['apply-b']!;
    r.world.scripts['apply-b'] = (p, w, whatIf) => {
      if (!whatIf) controller.abort();
      return applyB(p, w, whatIf);
    };
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook({
      ...r.runOptions,
      mode: { interactive: false, yes: true },
      signal: controller.signal,
    });
    expect(result.outcome).toBe('cancelled');
    expect(r.sessions.interrupted).toBe(1);
    expect(r.world.state).toEqual({ a: 0, b: 0 });
  });

  it('keeps partial changes with --no-rollback and says so in the journal', async () => {
    const r = memoryRun({ a: 1, b: 2 }, { stateDir, faults: { b: { applyFails: true } } });
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook({
      ...r.runOptions,
      mode: { interactive: false, yes: true, noRollback: true },
    });
    expect(result.outcome).toBe('problemsRemain');
    expect(r.world.state).toEqual({ a: 1, b: 0 });
    expect(journalOf(result.journalPath).find((x) => x.type === 'run-start')).toMatchObject({
      options: { noRollback: true },
    });
    expect(r.events.find((e) => e.type === 'summary')).toMatchObject({ keptPartialChanges: true });
  });

  it('never journals the value of a secret param', async () => {
    const r = memoryRun({ a: 1 }, { stateDir, extra: { a: { with: { Token: '${{ params.Token }}' } } } });
    const doc = r.playbook.doc;
    doc.params.Token = { type: 'string', required: true, secret: true };
    r.world.state = { a: 0 };
    const result = await runPlaybook({
      ...r.runOptions,
      params: { Token: 's3cr3t-value' },
      mode: { interactive: false, yes: true },
    });
    expect(readFileSync(result.journalPath, 'utf8')).not.toContain('s3cr3t-value');
    expect(journalOf(result.journalPath).find((x) => x.type === 'intent')).toMatchObject({
      params: { Token: { $template: '${{ params.Token }}' } },
    });
  });
});
