/**
 * How psremedy judges a revert the server should have made itself, from what the server answers:
 * only task gone + result `reverted` + a fresh test equal to the before-state is autoReverted.
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/engine/run-context.js';
import { judgeAutoRevert } from '../../src/engine/server-revert-check.js';
import type { SessionProvider } from '../../src/engine/session-provider.js';
import type { ScriptOutcome, ScriptRequest } from '../../src/powershell/types.js';

const BEFORE = { status: 'Up' };

/** A target that answers `test` with `state` (or is unreachable) and the revert report with `report`. */
function target(answers: { state?: unknown; report?: unknown; unreachable?: boolean }): SessionProvider {
  const outcome = (status: ScriptOutcome['status'], result: unknown): ScriptOutcome => ({
    status,
    result,
    warnings: [],
    verbose: [],
    information: [],
    durationMs: 1,
    sessionReset: false,
    diagnostics: '',
  });
  const session = {
    target: { kind: 'ssh' as const, hostName: 'SRV01' },
    run: async (request: ScriptRequest) => {
      if (answers.unreachable) return outcome('unreachable', null);
      if (request.scriptPath?.endsWith('Unregister-PsRemedyRevert.ps1')) return outcome('ok', answers.report);
      return outcome('ok', { compliant: false, state: answers.state });
    },
    close: async () => {},
  };
  return {
    get: async () => session,
    reopen: async () => session,
    interrupt: async () => {},
    close: async () => {},
  };
}

const change = {
  intent: {
    stepId: 'adapter',
    before: BEFORE,
    timeoutMs: 1000,
    test: { path: 'Test-AdapterState.ps1', sha256: '', text: '' },
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
