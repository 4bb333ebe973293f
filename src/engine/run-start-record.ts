/** The first journal record of a run: what ran, where and with what (never a secret). */
import { hostname, userInfo } from 'node:os';
import { listScriptModules } from '../playbook/script-modules.js';
import type { TargetSpec } from '../powershell/types.js';
import type { EnginePlaybook } from './engine-playbook.js';
import type { PlannedStep } from './events.js';
import type { JournalTarget, RunStartRecord } from './journal-records.js';
import type { RunMode } from './run-context.js';
import type { RunPlaybookOptions } from './run-playbook.js';

/** Builds the run-start record; params marked secret are left out and named. */
export function buildRunStart(
  options: RunPlaybookOptions,
  mode: RunMode,
  runId: string,
): Omit<RunStartRecord, 'v' | 'seq' | 'at'> {
  const { doc, file, scripts } = options.playbook;
  const secretNames = Object.entries(doc.params)
    .filter(([, p]) => p.secret)
    .map(([n]) => n);
  const params = Object.fromEntries(Object.entries(options.params).filter(([k]) => !secretNames.includes(k)));
  return {
    type: 'run-start',
    runId,
    playbook: { file, name: doc.name, title: doc.title, sha256: options.playbook.sha256 },
    scripts: Object.fromEntries(
      [...scripts, ...listScriptModules(scripts.values())].map(([path, s]) => [path, s.sha256]),
    ),
    params,
    secretParams: secretNames,
    targets: {
      client: journalTargetOf(options.targets.client),
      target: journalTargetOf(options.targets.target),
    },
    options: {
      check: mode.check,
      noRollback: mode.noRollback,
      yes: mode.yes,
      step: mode.step,
      ...(options.selection?.only ? { only: options.selection.only } : {}),
      ...(options.selection?.skip ? { skip: options.selection.skip } : {}),
      ...(options.selection?.startAt ? { startAt: options.selection.startAt } : {}),
    },
    psremedyVersion: options.psremedyVersion,
    pid: process.pid,
    hostName: hostname(),
    userName: safeUserName(),
    ...(options.lab ? { lab: options.lab } : {}),
  };
}

/** The steps as planned, each marked selected or not. */
export function planSteps(playbook: EnginePlaybook, selected: Set<string>): PlannedStep[] {
  return playbook.doc.steps.map((s) => ({
    id: s.id,
    title: s.title,
    kind: s.kind,
    on: s.on,
    selected: selected.has(s.id),
    ...(s.kind === 'fix' ? { risk: s.risk, fixes: s.fixes } : {}),
  }));
}

/** A target spec without its credential, as the journal keeps it. */
export function journalTargetOf(target: TargetSpec): JournalTarget {
  if (target.kind !== 'winrm') return target;
  const { credential: _credential, ...rest } = target;
  return rest;
}

/** The user running psremedy, for the journal (never throws). */
export function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
