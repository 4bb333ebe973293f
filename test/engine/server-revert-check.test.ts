/**
 * How psremedy judges a revert the server should have made itself, from what the server answers:
 * only task gone + result `reverted` + a fresh test equal to the before-state is autoReverted.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/engine/run-context.js';
import { judgeAutoRevert } from '../../src/engine/server-revert-check.js';
import { shippedScriptPath } from '../../src/engine/server-revert-scripts.js';
import { MemoryWorld, memorySessions } from './support/memory-session.js';

const BEFORE = { status: 'Up' };

const UNREGISTER = readFileSync(shippedScriptPath('Unregister-PsRemedyRevert.ps1'), 'utf8');

/** A target that answers `test` with `state` (or drops every connection) and the revert report with `report`. */
function target(answers: { state?: unknown; report?: unknown; unreachable?: boolean }) {
  const lost = { status: 'connectionLost' as const };
  return memorySessions(
    new MemoryWorld({
      'test-adapter': () =>
        answers.unreachable ? lost : { result: { compliant: false, state: answers.state } },
      [UNREGISTER]: () => (answers.unreachable ? lost : { result: answers.report }),
    }),
  );
}

const change = {
  intent: {
    stepId: 'adapter',
    before: BEFORE,
    timeoutMs: 1000,
    test: { path: 'Test-AdapterState.ps1', sha256: '', text: 'test-adapter' },
  },
  params: {},
} as unknown as Change;

const ran = (status: string) => ({ taskFound: false, ran: true, result: { status }, folderRemoved: true });

describe('judging a revert the server made itself', () => {
  it.each([
    [
      'task gone, reverted, state as before',
      { state: BEFORE, report: ran('reverted') },
      'autoReverted',
      undefined,
    ],
    [
      'the undo on the server failed',
      { state: BEFORE, report: { ...ran('failed'), result: { status: 'failed', error: 'access denied' } } },
      'revertUnverified',
      "the server's undo failed: access denied",
    ],
    [
      'the task never ran',
      {
        state: { status: 'Disabled' },
        report: { taskFound: true, ran: false, result: null, folderRemoved: true },
      },
      'revertUnverified',
      'the revert task had not run; psremedy removed it, and the change may still be in place',
    ],
    [
      'reverted, but the state differs',
      { state: { status: 'Disabled' }, report: ran('reverted') },
      'revertUnverified',
      "the server's undo ran but a fresh test does not match the before-state",
    ],
    [
      'the server never answers again',
      { unreachable: true },
      'revertUnverified',
      'the server did not answer again in time',
    ],
  ])('%s', async (_what, answers, outcome, note) => {
    const verdict = await judgeAutoRevert(
      target(answers),
      'run1',
      change,
      Date.now() + 50,
      new AbortController().signal,
    );
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.note).toBe(note);
  });
});
