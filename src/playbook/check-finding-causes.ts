/**
 * Cause ids are the playbooks' words: a diagnose script's finding must name a cause the playbook
 * declares (or a shipped playbook does, see known-cause-ids.ts). This reads the literal ids in each
 * diagnose script (`New-Finding 'id' ...`, and `cause = 'id'` in a hashtable) and reports the
 * unknown ones at the script's line:col. Ids a script builds at run time are checked when it runs
 * (src/engine/diagnose-step.ts).
 */
import { relative } from 'node:path';
import type { PlaybookProblem } from '../core/errors.js';
import { didYouMean } from './did-you-mean.js';
import { isKnownCause, shippedCauseIds } from './known-cause-ids.js';
import type { LoadedPlaybook } from './load-playbook.js';

const LITERAL_CAUSES = [
  /\bNew-Finding\s+(?:-Cause\s+)?(['"])([^'"$`]+)\1/gi,
  /(?:^|[\s;@{(])['"]?cause['"]?\s*=\s*(['"])([^'"$`]+)\1/gim,
];

/** One literal cause id in a script, at its 1-based line and column. */
export interface CauseLiteral {
  cause: string;
  line: number;
  col: number;
}

/** The literal cause ids a script's text names in findings. */
export function findCauseLiterals(text: string): CauseLiteral[] {
  const found: CauseLiteral[] = [];
  for (const pattern of LITERAL_CAUSES)
    for (const m of text.matchAll(pattern)) {
      const cause = m[2] as string;
      const offset = (m.index ?? 0) + m[0].lastIndexOf(cause) - 1;
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      found.push({ cause, line, col: offset - before.lastIndexOf('\n') });
    }
  return found.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** The findings of `playbook`'s diagnose scripts that name a cause no playbook declares. */
export function checkFindingCauses(playbook: LoadedPlaybook): PlaybookProblem[] {
  const declared = playbook.doc.causes.map((c) => c.id);
  const problems: PlaybookProblem[] = [];
  const seen = new Set<string>();
  for (const step of playbook.doc.steps) {
    if (step.kind !== 'diagnose') continue;
    const path = playbook.scriptPath(step, 'script');
    if (seen.has(path)) continue;
    seen.add(path);
    const text = playbook.scripts.get(path)?.text ?? '';
    for (const literal of findCauseLiterals(text)) {
      if (isKnownCause(playbook.doc, literal.cause)) continue;
      const hint = didYouMean(literal.cause, new Set([...declared, ...shippedCauseIds()]));
      problems.push({
        file: relative(process.cwd(), path) || path,
        line: literal.line,
        col: literal.col,
        path: '',
        message: `a finding names cause "${literal.cause}", which ${relative(process.cwd(), playbook.file) || playbook.file} does not declare (step ${step.id}; its causes: ${declared.join(', ') || 'none'})`,
        hint: hint || 'declare it under causes: with an id and a title, or name a declared cause',
        severity: 'error',
      });
    }
  }
  return problems;
}
