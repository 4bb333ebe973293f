/**
 * psremedy's own scripts for a server-side revert (ps-scripts/*-PsRemedyRevert.ps1): arm the
 * target's one-shot revert task, and disarm it or read what it did. They ship with psremedy, not
 * with a playbook; they run in the target's session like a step's script.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScriptOutcome } from '../powershell/types.js';
import type { IntentRecord } from './journal-records.js';
import type { SessionProvider } from './session-provider.js';

/** A shipped script by file name (from src/engine and dist/engine alike). */
export function shippedScriptPath(name: string): string {
  return fileURLToPath(new URL(`../../ps-scripts/${name}`, import.meta.url));
}

function readShipped(name: string): string {
  return readFileSync(shippedScriptPath(name), 'utf8').replace(/^\uFEFF/, '');
}

/** What arming returned: where the task and its folder are, and the target's deadline. */
export interface ArmedRevert {
  taskName: string;
  taskPath: string;
  folder: string;
  deadlineUtc: string;
}

/** What the target says about a revert task: still registered, has it run, and its result. */
export interface RevertTaskReport {
  taskFound: boolean;
  ran: boolean;
  result: { status?: string; error?: string | null; finishedUtc?: string } | null;
  folderRemoved: boolean;
}

const SCRIPT_TIMEOUT_MS = 60_000;

/**
 * Arms the target's revert task for an intent: the undo text, its modules and its parameters
 * (with `Before`) travel as data to Register-PsRemedyRevert.ps1, which writes them to files.
 */
export async function armRevertTask(
  sessions: SessionProvider,
  runId: string,
  intent: IntentRecord,
  params: Record<string, unknown>,
  seconds: number,
  beforeParam: string,
): Promise<ScriptOutcome> {
  if ('none' in intent.undo) throw new Error(`step ${intent.stepId} has no undo to arm`);
  return callShipped(sessions, 'Register-PsRemedyRevert.ps1', {
    RunId: runId,
    StepId: intent.stepId,
    Seconds: seconds,
    Runner: readShipped('Invoke-PsRemedyRevert.ps1'),
    Undo: intent.undo.text,
    Modules: (intent.undo.modules ?? []).map((m) => ({ name: m.name, text: m.text })),
    DataJson: JSON.stringify({ ...params, [beforeParam]: intent.before }),
  });
}

/** Unregisters the task if it is still there and removes its folder (`keep`: only look); reports what it found. */
export function disarmRevertTask(
  sessions: SessionProvider,
  runId: string,
  stepId: string,
  keep = false,
): Promise<ScriptOutcome> {
  return callShipped(sessions, 'Unregister-PsRemedyRevert.ps1', {
    RunId: runId,
    StepId: stepId,
    ...(keep ? { Keep: true } : {}),
  });
}

async function callShipped(
  sessions: SessionProvider,
  name: string,
  params: Record<string, unknown>,
): Promise<ScriptOutcome> {
  const request = {
    script: readShipped(name),
    scriptPath: shippedScriptPath(name),
    params,
    timeoutMs: SCRIPT_TIMEOUT_MS,
  };
  return (await sessions.get('target')).run(request);
}
