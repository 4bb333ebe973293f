import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import type { FixStepDoc } from '../../src/playbook/schema.js';
import { createColors } from '../../src/ui/colors.js';
import type { PromptAdapter } from '../../src/ui/prompt-adapter.js';
import { createPromptDecider, describeFix } from '../../src/ui/prompt-decider.js';
import { memoryRun } from '../engine/support/settings-fixture.js';

/** A PromptAdapter that answers from a list and keeps every question. */
function scriptedPrompts(answers: Array<string | boolean | Error>) {
  const questions: Array<{ message: string; choices?: string[] }> = [];
  const next = () => {
    const a = answers.shift();
    if (a === undefined) throw new Error('no scripted answer left');
    if (a instanceof Error) throw a;
    return a;
  };
  const prompts: PromptAdapter = {
    async select(q) {
      questions.push({ message: q.message, choices: q.choices.map((c) => c.name) });
      return next() as never;
    },
    async confirm(q) {
      questions.push({ message: q.message });
      return next() as boolean;
    },
  };
  return { prompts, questions };
}

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'psremedy-prompt-'));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));
const colors = createColors({ isTTY: false });

describe('prompts through the adapter', () => {
  it('shows cause, evidence, current state, preview and risk, and offers apply / skip / details / abort', async () => {
    const { prompts, questions } = scriptedPrompts(['details', 'apply']);
    const r = memoryRun({ a: 1 }, { stateDir, decider: createPromptDecider(prompts, colors, () => {}) });
    r.world.state = { a: 0 };
    const result = await runPlaybook(r.runOptions);
    expect(result.outcome).toBe('changed');
    expect(questions[0]?.choices).toEqual(['apply', 'skip', 'details', 'abort and roll back']);
    expect(questions[0]?.message).toMatch(/Apply fix_a: Set a\n {2}on the target, risk low/);
    expect(questions[0]?.message).toMatch(/cause: a is wrong \[a-wrong\] 90%, 1 finding\n/);
    expect(questions[0]?.message).toMatch(/diag: a is 0/);
    expect(questions[0]?.message).toMatch(/now: value: 0\n/);
    expect(questions[0]?.message).not.toContain('"value"');
    expect(questions[0]?.message).toMatch(/will change: \{"wouldSet":1\}/);
    expect(questions[1]?.message).toMatch(/state \(JSON\):\n\s+\{\n\s+"value": 0\n\s+\}/);
    expect(questions[1]?.choices).toContain('fewer details');
  });

  it('skips a fix the admin declines and goes on', async () => {
    const { prompts } = scriptedPrompts(['skip', 'apply']);
    const r = memoryRun(
      { a: 1, b: 2 },
      { stateDir, decider: createPromptDecider(prompts, colors, () => {}) },
    );
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook(r.runOptions);
    expect(r.world.state).toEqual({ a: 0, b: 2 });
    expect(result.outcome).toBe('problemsRemain');
  });

  it('treats Ctrl+C inside a prompt as an interrupt: nothing is applied, and the run rolls back', async () => {
    const controller = new AbortController();
    const ctrlC = Object.assign(new Error('User force closed the prompt with SIGINT'), {
      name: 'ExitPromptError',
    });
    const { prompts } = scriptedPrompts(['apply', ctrlC]);
    const r = memoryRun(
      { a: 1, b: 2 },
      { stateDir, decider: createPromptDecider(prompts, colors, () => controller.abort()) },
    );
    r.world.state = { a: 0, b: 0 };
    const result = await runPlaybook({ ...r.runOptions, signal: controller.signal });
    expect(result.outcome).toBe('cancelled');
    expect(r.world.state).toEqual({ a: 0, b: 0 });
  });

  it('asks "keep this change?" after a revertUnlessConfirmed fix and undoes it on no', async () => {
    const { prompts, questions } = scriptedPrompts(['apply', false]);
    const r = memoryRun(
      { a: 1 },
      {
        stateDir,
        decider: createPromptDecider(prompts, colors, () => {}),
        extra: { a: { revertUnlessConfirmed: '2m', risk: 'disruptive' } },
      },
    );
    r.world.state = { a: 0 };
    await runPlaybook(r.runOptions);
    expect(questions[1]?.message).toMatch(/Keep fix_a: Set a\? It is undone in 120 s unless you answer yes/);
    expect(r.world.state).toEqual({ a: 0 });
  });
});

describe('the keep question of a change the server reverts itself', () => {
  it('says the server answers again and undoes the change itself unless confirmed', async () => {
    const { prompts, questions } = scriptedPrompts([true]);
    const decider = createPromptDecider(prompts, colors, () => {});
    const step = { id: 'adapter', title: 'Set the adapter', kind: 'fix', on: 'target' } as FixStepDoc;
    const question = { step, before: { s: 1 }, after: { s: 2 }, timeoutMs: 25_000, onServer: true };
    expect(await decider.decideKeep(question, new AbortController().signal)).toBe(true);
    expect(questions[0]?.message).toMatch(
      /^The server answers again: keep this change\? adapter: Set the adapter\. The server undoes it itself in 25 s unless you answer yes\./,
    );
  });
});

describe('the fix question without a safe preview', () => {
  it('says "no preview available" and why, and never "will change" lines', () => {
    const step: FixStepDoc = {
      id: 'fix_a',
      title: 'Set a',
      kind: 'fix',
      on: 'target',
      fixes: ['a-wrong'],
      test: 't.ps1',
      apply: 'a.ps1',
      undo: 'u.ps1',
      risk: 'low',
    };
    const text = describeFix(
      {
        step,
        causes: [],
        state: { value: 0 },
        summary: [],
        whatIf: [],
        noPreview: 'a.ps1 does not declare SupportsShouldProcess',
      },
      false,
      colors,
      200,
    );
    expect(text).toContain(
      'will change: no preview available (a.ps1 does not declare SupportsShouldProcess)',
    );
    expect(text).not.toContain('printed no -WhatIf preview');
  });
});
