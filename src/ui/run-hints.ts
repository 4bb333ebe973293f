/**
 * The commands psremedy suggests after a run (`psremedy rollback <runId>` ...), written so that
 * pasting one in the same shell acts on the same run: the run's state folder is named unless
 * PSREMEDY_HOME already names it. Rollback and resume take the target (a lab host too) from the
 * run's journal, so the state folder is all they need.
 */
import { dirname, resolve } from 'node:path';

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

function quoteForShell(text: string): string {
  if (/^[A-Za-z0-9_./:@%+=,\\-]+$/.test(text)) return text;
  return process.platform === 'win32' ? `"${text}"` : `'${text.replaceAll("'", `'\\''`)}'`;
}
