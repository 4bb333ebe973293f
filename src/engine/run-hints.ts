/**
 * The commands psremedy suggests after a run (`psremedy rollback <runId>` ...), written so that
 * pasting one in the same shell acts on the same run: the run's state folder is named unless
 * PSREMEDY_HOME already names it. Rollback and resume take the target (a lab host too) from the
 * run's journal, so the state folder is all they need.
 */
import { dirname, resolve } from 'node:path';
import type { RunStartRecord } from './journal-records.js';

/** What a hint does to a run. */
export type HintVerb = 'rollback' | 'resume' | 'report' | 'runs --forget';

/** `psremedy <verb> <runId>`, with `--state-dir <dir>` when PSREMEDY_HOME does not say it. */
export function formatRunHint(
  verb: HintVerb,
  runId: string,
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const home = env.PSREMEDY_HOME ? resolve(env.PSREMEDY_HOME) : undefined;
  const where = home === resolve(stateDir) ? '' : ` --state-dir ${quoteForShell(resolve(stateDir))}`;
  return `psremedy ${verb} ${runId}${where}`;
}

/** The state folder of a journal at `<stateDir>/runs/<runId>/journal.jsonl`. */
export function stateDirOfJournal(journalPath: string): string {
  return dirname(dirname(dirname(journalPath)));
}

/**
 * `psremedy run ...` that starts the same run again: the playbook, `--lab` and its scenario (or
 * `--target` is left to the journal's target: a lab run never becomes a run against a real host),
 * the journaled params, the mode and step selection, and the state folder. Secret params are never
 * journaled, so they are named as `-p NAME=...` to fill in.
 */
export function formatNewRunHint(
  start: RunStartRecord,
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const o = start.options;
  const words = ['psremedy', 'run', quoteForShell(start.playbook.file)];
  if (start.lab) words.push('--lab', quoteForShell(start.lab.scenario));
  else if (start.targets.target.kind === 'ssh')
    words.push('--target', quoteForShell(start.targets.target.hostName), '--transport', 'ssh');
  else if (start.targets.target.kind === 'winrm')
    words.push('--target', quoteForShell(start.targets.target.computerName));
  for (const [name, value] of Object.entries(start.params))
    words.push('-p', quoteForShell(`${name}=${String(value)}`));
  for (const name of start.secretParams) words.push('-p', `${name}=...`);
  if (o.check) words.push('--check');
  if (o.yes) words.push('--yes');
  if (o.step) words.push('--step');
  if (o.noRollback) words.push('--no-rollback');
  if (o.only?.length) words.push('--only', o.only.join(','));
  if (o.skip?.length) words.push('--skip', o.skip.join(','));
  if (o.startAt) words.push('--start-at', o.startAt);
  const home = env.PSREMEDY_HOME ? resolve(env.PSREMEDY_HOME) : undefined;
  if (home !== resolve(stateDir)) words.push('--state-dir', quoteForShell(resolve(stateDir)));
  return words.join(' ');
}

function quoteForShell(text: string): string {
  if (/^[A-Za-z0-9_./:@%+=,\\-]+$/.test(text)) return text;
  return process.platform === 'win32' ? `"${text}"` : `'${text.replaceAll("'", `'\\''`)}'`;
}
