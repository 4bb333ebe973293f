/**
 * Undoes one change from what its intent record holds (so it works in a run and from a journal
 * alone), and checks the result with a fresh `test` against the recorded before-state.
 */
import { createHash } from 'node:crypto';
import type { ScriptOutcome } from '../powershell/types.js';
import { isSameState } from './compare-state.js';
import type { EventSink } from './events.js';
import type { Journal } from './journal.js';
import type { JournalScript, UndoEndRecord } from './journal-records.js';
import type { Change } from './run-context.js';
import { readTestResult } from './script-results.js';
import type { SessionProvider } from './session-provider.js';

/** What an undo needs besides the change itself. */
export interface UndoEnv {
  sessions: SessionProvider;
  journal: Journal;
  emit: EventSink;
}

/** The name of the parameter an undo script receives the before-state in. */
export const UNDO_BEFORE_PARAM = 'Before';

/** Undoes one change and reports rolledBack, revertUnverified (loudly) or rollbackFailed. */
export async function undoChange(env: UndoEnv, change: Change): Promise<UndoEndRecord['status']> {
  const { intent } = change;
  env.journal.append({ type: 'undo-start', stepId: intent.stepId });
  const finish = (
    status: UndoEndRecord['status'],
    extra: Partial<Pick<UndoEndRecord, 'state' | 'note' | 'error'>> = {},
  ): UndoEndRecord['status'] => {
    env.journal.append({ type: 'undo-end', stepId: intent.stepId, status, ...extra });
    env.emit({
      type: 'rollback.step',
      stepId: intent.stepId,
      status,
      ...(extra.note ? { note: extra.note } : {}),
      ...(extra.error ? { error: extra.error } : {}),
      ...(status === 'revertUnverified' ? { state: extra.state ?? null, before: intent.before } : {}),
    });
    change.undone = status;
    return status;
  };
  if ('none' in intent.undo)
    return finish('rollbackFailed', { note: `cannot be undone: ${intent.undo.none}` });
  // The scripts and the modules they send: every text that would run must be the one hashed.
  const altered = [intent.test, intent.undo]
    .flatMap((s) => [s, ...(s.modules ?? [])])
    .filter((s) => !matchesDigest(s));
  if (altered.length > 0)
    return finish('rollbackFailed', {
      note: `refused: the journaled text of ${[...new Set(altered.map((s) => s.path))].join(' and ')} does not match its recorded sha256 (the journal was changed); nothing ran, undo it by hand`,
    });

  if (!change.applied) {
    const now = await runScript(env, change, intent.test);
    if (now.status !== 'ok') return finish('rollbackFailed', failure(now, 'test before the undo'));
    if (isSameState(readTestResult(now.result).state, intent.before))
      return finish('rolledBack', {
        state: intent.before,
        note: 'the change never happened: already in its before-state',
      });
  }
  const before = change.applied?.before ?? intent.before;
  const undone = await runScript(env, change, intent.undo, { [UNDO_BEFORE_PARAM]: before });
  if (undone.status !== 'ok') return finish('rollbackFailed', failure(undone, 'undo'));
  const check = await runScript(env, change, intent.test);
  if (check.status !== 'ok') return finish('rollbackFailed', failure(check, 'test after the undo'));
  const state = readTestResult(check.result).state;
  if (isSameState(state, intent.before)) return finish('rolledBack', { state });
  return finish('revertUnverified', {
    state,
    note: 'the undo ran but a fresh test does not match the before-state; check the target by hand',
  });
}

async function runScript(
  env: UndoEnv,
  change: Change,
  script: JournalScript,
  extra: Record<string, unknown> = {},
): Promise<ScriptOutcome> {
  const request = {
    script: script.text,
    ...(script.modules ? { modules: script.modules } : {}),
    scriptPath: script.path,
    params: { ...change.params, ...extra },
    timeoutMs: change.intent.timeoutMs,
  };
  const outcome = await (await env.sessions.get(change.intent.on)).run(request);
  if (outcome.status !== 'connectionLost') return outcome;
  return (await env.sessions.reopen(change.intent.on)).run(request);
}

/** The journaled text is the file whose bytes (with or without a UTF-8 BOM) were hashed at the run. */
function matchesDigest(script: Pick<JournalScript, 'text' | 'sha256'>): boolean {
  const bytes = Buffer.from(script.text, 'utf8');
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  return [bytes, Buffer.concat([bom, bytes])].some(
    (b) => createHash('sha256').update(b).digest('hex') === script.sha256,
  );
}

function failure(outcome: ScriptOutcome, what: string): Pick<UndoEndRecord, 'note' | 'error'> {
  const why =
    outcome.status === 'timedOut'
      ? 'ran past its timeout'
      : outcome.status === 'connectionLost'
        ? 'lost the connection to the target'
        : (outcome.error?.message ?? 'failed');
  return { note: `${what} ${why}`, ...(outcome.error ? { error: outcome.error } : {}) };
}
