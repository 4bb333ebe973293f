import { EXIT } from '../../../core/exit-codes.js';
import {
  buildPlan,
  loadPlaybook,
  type ParamValue,
  type PlannedStep,
  parseParamAssignments,
  resolveParams,
  SECRET_MASK,
} from '../../../playbook/index.js';
import { formatProblem, type Io, processIo } from '../../run-action.js';

/** Loads a playbook, resolves its params and prints the ordered steps (text or JSON). */
export async function showPlan(
  file: string,
  options: { param: string[]; paramsFile?: string; json?: boolean },
  io: Io = processIo,
): Promise<number> {
  const raw = parseParamAssignments(options.param);
  const playbook = await loadPlaybook(file);
  for (const warning of playbook.warnings) io.err(formatProblem(warning));
  const params = await resolveParams(playbook, raw, options.paramsFile);
  const shownParams: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params))
    shownParams[name] = playbook.doc.params[name]?.secret ? SECRET_MASK : value;
  const steps = buildPlan(playbook, params);
  if (options.json) {
    io.out(
      JSON.stringify(
        { playbook: playbook.doc.name, file: playbook.file, params: shownParams, steps },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  io.out(`${playbook.doc.name}: ${playbook.doc.title}`);
  const paramText = Object.entries(shownParams).map(([k, v]) => `${k}=${String(v)}`);
  io.out(`params: ${paramText.length > 0 ? paramText.join('  ') : '(none)'}`);
  io.out(`${steps.length} step(s), in order:`);
  for (const step of steps) io.out(formatStep(step));
  return EXIT.ok;
}

function formatStep(step: PlannedStep): string {
  const where = step.on === 'client' ? 'on the client' : `on the target${step.host ? ` ${step.host}` : ''}`;
  const kind = step.kind === 'fix' ? `fix, risk ${step.risk}` : 'diagnose';
  const lines = [`\n${step.index + 1}. ${step.id} (${kind}) ${where}`, `   ${step.title}`];
  if (step.when) lines.push(`   when:    ${step.when}`);
  for (const [role, path] of Object.entries(step.scripts)) lines.push(`   ${`${role}:`.padEnd(8)} ${path}`);
  if (step.noUndo !== undefined) lines.push(`   undo:    none (${step.noUndo})`);
  if (step.fixes.length > 0) lines.push(`   fixes:   ${step.fixes.join(', ')}`);
  const withText = Object.entries(step.with).map(
    ([k, v]) => `-${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  if (withText.length > 0) lines.push(`   with:    ${withText.join(' ')}`);
  if (step.timeout !== undefined) lines.push(`   timeout: ${step.timeout}`);
  if (step.confirm) lines.push(`   confirm: ${step.confirm}`);
  if (step.revertUnlessConfirmed !== undefined)
    lines.push(`   reverts unless confirmed within ${step.revertUnlessConfirmed}`);
  return lines.join('\n');
}
