import { describe, expect, it } from 'vitest';
import { createFleetPromptAsker, type FleetPromptAdapter } from '../../src/cli/fleet/fleet-prompts.js';
import type { FixPreview } from '../../src/engine/decider.js';
import { createFleetDecider, type FleetFixQuestion } from '../../src/fleet/fleet-decider.js';
import type { FixStepDoc } from '../../src/playbook/schema.js';
import { createColors } from '../../src/ui/colors.js';

const ORDER = ['diag', 'fix1', 'fix2'];
const preview = (id: string, cause = `${id}-cause`): FixPreview => ({
  step: {
    id,
    title: `Fix ${id}`,
    kind: 'fix',
    on: 'target',
    risk: 'low',
    undo: 'x.ps1',
  } as unknown as FixStepDoc,
  causes: [
    {
      cause,
      title: cause,
      confidence: 0.9,
      agreeing: 1,
      detected: true,
      evidence: [{ stepId: 'diag', confidence: 0.9, evidence: `seen ${cause}` }],
    },
  ],
  state: {},
  summary: [],
  whatIf: [],
});
const tick = () => new Promise((r) => setTimeout(r, 5));

/** A prompt adapter answering from a script; it records every question it was asked. */
function scriptedPrompts(answers: { select: string[]; checkbox?: string[][] }) {
  const asked: string[] = [];
  const prompts: FleetPromptAdapter = {
    async select(q) {
      asked.push(q.message);
      return answers.select.shift() as never;
    },
    async confirm() {
      return true;
    },
    async checkbox(q) {
      asked.push(q.message);
      return (answers.checkbox?.shift() ?? []) as never;
    },
  };
  return { prompts, asked };
}

describe('the fleet decider', () => {
  it('holds a question until every running host waits or ended, then asks once for all hosts at that fix', async () => {
    const questions: FleetFixQuestion[] = [];
    const decider = createFleetDecider(
      {
        askFix: async (q) => {
          questions.push(q);
          return { apply: q.hosts.map((h) => h.host), remember: 'all' };
        },
        askKeep: async () => true,
      },
      ORDER,
      new AbortController().signal,
    );
    for (const h of ['a', 'b', 'c']) decider.hostStarted(h);
    const signal = new AbortController().signal;
    const a = decider.deciderFor('a').decideFix(preview('fix1'), signal);
    await tick();
    expect(questions).toHaveLength(0); // b and c are still diagnosing
    const b = decider.deciderFor('b').decideFix(preview('fix1'), signal);
    await tick();
    expect(questions).toHaveLength(0);
    decider.hostEnded('c'); // c had nothing to fix
    expect(await a).toBe('apply');
    expect(await b).toBe('apply');
    expect(questions.map((q) => [q.step.id, q.hosts.map((h) => h.host)])).toEqual([['fix1', ['a', 'b']]]);
    // A host that reaches the same fix later gets the remembered answer without a second question.
    decider.hostStarted('d');
    expect(await decider.deciderFor('d').decideFix(preview('fix1'), signal)).toBe('apply');
    expect(questions).toHaveLength(1);
  });

  it('asks the earliest fix first while hosts at a later fix keep waiting, and never once per host', async () => {
    const questions: string[] = [];
    const decider = createFleetDecider(
      {
        askFix: async (q) => {
          questions.push(`${q.step.id}:${q.hosts.map((h) => h.host).join('+')}`);
          return { apply: [], remember: 'none' };
        },
        askKeep: async () => true,
      },
      ORDER,
      new AbortController().signal,
    );
    const signal = new AbortController().signal;
    for (const h of ['a', 'b']) decider.hostStarted(h);
    const aFix2 = decider.deciderFor('a').decideFix(preview('fix2'), signal);
    const bFix1 = decider.deciderFor('b').decideFix(preview('fix1'), signal);
    expect(await bFix1).toBe('skip');
    const bFix2 = decider.deciderFor('b').decideFix(preview('fix2'), signal);
    expect([await aFix2, await bFix2]).toEqual(['skip', 'skip']);
    expect(questions).toEqual(['fix1:b', 'fix2:a+b']);
  });

  it('through the prompts: choose hosts applies the fix on the ticked hosts only; abort stops every host', async () => {
    const { prompts, asked } = scriptedPrompts({
      select: ['evidence', 'choose', 'abort'],
      checkbox: [['b']],
    });
    const aborted: string[] = [];
    const decider = createFleetDecider(
      createFleetPromptAsker(prompts, createColors({ isTTY: false }), () => {}),
      ORDER,
      new AbortController().signal,
      () => aborted.push('fleet'),
    );
    const signal = new AbortController().signal;
    for (const h of ['a', 'b', 'c']) decider.hostStarted(h);
    const answers = ['a', 'b', 'c'].map((h) => decider.deciderFor(h).decideFix(preview('fix1'), signal));
    expect(await Promise.all(answers)).toEqual(['skip', 'apply', 'skip']);
    // One select (shown again with each host's evidence) and one checkbox: never a prompt per host.
    expect(asked[0]).toMatch(/affected hosts \(3\):\n {4}a: fix1-cause 90%/);
    expect(asked[0]).not.toMatch(/seen fix1-cause/);
    expect(asked[1]).toMatch(/seen fix1-cause/);
    expect(asked[2]).toBe('Apply fix1 on which hosts?');
    // Abort at the next fix ends every host waiting there, and every host that asks later.
    const next = ['a', 'b', 'c'].map((h) => decider.deciderFor(h).decideFix(preview('fix2'), signal));
    expect(await Promise.all(next)).toEqual(['abort', 'abort', 'abort']);
    expect(aborted).toEqual(['fleet']);
    expect(decider.aborted()).toBe(true);
    decider.hostStarted('d');
    expect(await decider.deciderFor('d').decideFix(preview('fix1'), signal)).toBe('abort');
    expect(asked).toHaveLength(4);
  });
});
