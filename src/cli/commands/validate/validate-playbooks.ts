import type { PlaybookProblem } from '../../../core/errors.js';
import { PlaybookError } from '../../../core/errors.js';
import { EXIT } from '../../../core/exit-codes.js';
import { type LoadedPlaybook, loadPlaybook } from '../../../playbook/index.js';
import { formatProblem, type Io, processIo } from '../../run-action.js';
import { parsePlaybookScripts } from './parse-playbook-scripts.js';

/** What validate found in one file. */
export interface FileVerdict {
  file: string;
  valid: boolean;
  problems: PlaybookProblem[];
  steps?: number;
  scripts?: number;
  /** For an inventory (`--inventory`): how many hosts it has. */
  hosts?: number;
}

/** How validate runs: `--json`, and whether PowerShell parses the scripts too. */
export interface ValidateOptions {
  json: boolean;
  parseScripts: boolean;
  /** An inventory to check against the playbooks' params. */
  inventory?: string;
}

/**
 * Loads each playbook, then parses all their scripts with PowerShell's parser (a missing engine
 * is a warning), prints every problem (or `--json`), and returns exit 0 or 2.
 */
export async function validatePlaybooks(
  files: string[],
  options: ValidateOptions,
  io: Io = processIo,
): Promise<number> {
  const verdicts: FileVerdict[] = [];
  const loaded = new Map<FileVerdict, LoadedPlaybook>();
  for (const file of files) {
    const { verdict, playbook } = await validateOne(file);
    verdicts.push(verdict);
    if (playbook) loaded.set(verdict, playbook);
  }
  let scriptParse: { parsed: boolean; skipped?: string } = {
    parsed: false,
    skipped: 'not asked (--no-parse-scripts)',
  };
  if (options.parseScripts) {
    const outcome = await parsePlaybookScripts([...loaded.values()]);
    scriptParse = outcome.skipped ? { parsed: false, skipped: outcome.skipped } : { parsed: true };
    for (const [verdict, playbook] of loaded) {
      const found = outcome.problems.get(playbook.file) ?? [];
      if (found.length === 0) continue;
      verdict.problems.push(...found);
      verdict.valid = false;
    }
  }
  if (options.inventory !== undefined) {
    const { validateInventory } = await import('./validate-inventory.js');
    verdicts.push(await validateInventory(options.inventory, [...loaded.values()]));
  }
  const valid = verdicts.every((v) => v.valid);
  if (options.json) {
    io.out(JSON.stringify({ valid, files: verdicts, scriptParse }, null, 2));
    return valid ? EXIT.ok : EXIT.badInput;
  }
  if (options.parseScripts && scriptParse.skipped)
    io.err(`warning: scripts were not checked by PowerShell's parser: ${scriptParse.skipped}`);
  for (const verdict of verdicts) {
    for (const problem of verdict.problems) io.out(formatProblem(problem));
    if (verdict.valid && verdict.hosts !== undefined) io.out(`ok ${verdict.file} (${verdict.hosts} hosts)`);
    else if (verdict.valid) io.out(`ok ${verdict.file} (${verdict.steps} steps, ${verdict.scripts} scripts)`);
  }
  const errors = verdicts.reduce((n, v) => n + v.problems.filter((p) => p.severity === 'error').length, 0);
  const bad = verdicts.filter((v) => !v.valid).length;
  if (bad > 0)
    io.out(
      `${errors} problem(s) in ${bad} of ${verdicts.length} ${options.inventory === undefined ? 'playbook(s)' : 'file(s)'}`,
    );
  return valid ? EXIT.ok : EXIT.badInput;
}

async function validateOne(file: string): Promise<{ verdict: FileVerdict; playbook?: LoadedPlaybook }> {
  try {
    const playbook = await loadPlaybook(file);
    const verdict = {
      file,
      valid: true,
      problems: [...playbook.warnings],
      steps: playbook.doc.steps.length,
      scripts: playbook.scripts.size,
    };
    return { verdict, playbook };
  } catch (error) {
    if (error instanceof PlaybookError) return { verdict: { file, valid: false, problems: error.problems } };
    throw error;
  }
}
