import type { PlaybookProblem } from '../../core/errors.js';
import { PlaybookError } from '../../core/errors.js';
import { EXIT } from '../../core/exit-codes.js';
import { loadPlaybook } from '../../playbook/index.js';
import { formatProblem, type Io, processIo } from '../run-action.js';

/** What validate found in one file. */
export interface FileVerdict {
  file: string;
  valid: boolean;
  problems: PlaybookProblem[];
  steps?: number;
  scripts?: number;
}

/** Loads each playbook, prints every problem (or `--json`), and returns exit 0 or 2. */
export async function validatePlaybooks(
  files: string[],
  options: { json: boolean },
  io: Io = processIo,
): Promise<number> {
  const verdicts: FileVerdict[] = [];
  for (const file of files) verdicts.push(await validateOne(file));
  const valid = verdicts.every((v) => v.valid);
  if (options.json) {
    io.out(JSON.stringify({ valid, files: verdicts }, null, 2));
  } else {
    for (const verdict of verdicts) {
      for (const problem of verdict.problems) io.out(formatProblem(problem));
      if (verdict.valid) io.out(`ok ${verdict.file} (${verdict.steps} steps, ${verdict.scripts} scripts)`);
    }
    const errors = verdicts.reduce((n, v) => n + v.problems.filter((p) => p.severity === 'error').length, 0);
    const bad = verdicts.filter((v) => !v.valid).length;
    if (bad > 0) io.out(`${errors} problem(s) in ${bad} of ${verdicts.length} playbook(s)`);
  }
  return valid ? EXIT.ok : EXIT.badInput;
}

async function validateOne(file: string): Promise<FileVerdict> {
  try {
    const playbook = await loadPlaybook(file);
    return {
      file,
      valid: true,
      problems: playbook.warnings,
      steps: playbook.doc.steps.length,
      scripts: playbook.scripts.size,
    };
  } catch (error) {
    if (error instanceof PlaybookError) return { file, valid: false, problems: error.problems };
    throw error;
  }
}
