import { relative } from 'node:path';
import type { PlaybookProblem } from '../../../core/errors.js';
import type { LoadedPlaybook } from '../../../playbook/index.js';
import type { ScriptParseReport } from '../../../powershell/parse-scripts.js';

/**
 * A fix step's apply and undo scripts must declare `[CmdletBinding(SupportsShouldProcess)]`: for a
 * script without it, `-WhatIf` is not a switch but a stray argument, and the "preview" runs the
 * change for real. Each problem points at the script's CmdletBinding attribute or param block.
 */
export function findShouldProcessProblems(
  playbook: LoadedPlaybook,
  reports: ReadonlyMap<string, ScriptParseReport>,
): PlaybookProblem[] {
  const problems: PlaybookProblem[] = [];
  playbook.doc.steps.forEach((step, index) => {
    if (step.kind !== 'fix') return;
    for (const role of ['apply', 'undo'] as const) {
      if (typeof step[role] !== 'string') continue;
      const script = playbook.scriptPath(step, role);
      const declaration = reports.get(script)?.shouldProcess;
      if (!declaration || declaration.declared) continue;
      problems.push({
        file: relative(process.cwd(), script) || script,
        line: declaration.line,
        col: declaration.col,
        path: `steps.${index}.${role}`,
        message: `the ${role} script of fix step ${step.id} does not support ShouldProcess (${declaration.message}): -WhatIf would run it for real`,
        hint: 'declare [CmdletBinding(SupportsShouldProcess)] above param() and make each change inside if ($PSCmdlet.ShouldProcess(...))',
        severity: 'error',
      });
    }
  });
  return problems;
}
