/** The end-of-run recap as terminal lines, pasteable into a ticket: causes, changes, undo, exit code. */
import type { RunRecap, RunReport } from '../report/report-model.js';
import { describeChangeStatus } from '../report/words.js';
import type { Colors } from './colors.js';
import { formatConfidence, formatMark, paintTone, STEP_MARKS, type StepVerdict } from './step-marks.js';
import { wrapText } from './wrap-text.js';

const CHANGE_MARKS: Record<RunRecap['changes'][number]['status'], StepVerdict> = {
  kept: 'changed',
  rolledBack: 'rolledBack',
  autoReverted: 'autoReverted',
  revertUnverified: 'revertUnverified',
  rollbackFailed: 'rollbackFailed',
  applyFailed: 'failed',
  intentOnly: 'failed',
};

/** The recap lines of a report, laid out for `width` columns. */
export function formatRecap(report: RunReport, c: Colors, width: number, steps?: string): string[] {
  const { recap } = report;
  const good = report.outcome === 'ok' || report.outcome === 'changed';
  const lines = [
    c.bold(`summary: ${report.playbook.name} on ${report.target}: `) +
      (good ? c.green(recap.verdict) : c.bold(c.yellow(recap.verdict))),
  ];
  if (recap.notInspected) lines.push(...formatNotInspected(recap.notInspected, c, width));
  // With one side not inspected, the causes rest on the other side's evidence alone.
  const other = recap.notInspected?.side === 'client' ? "server's" : "client's";
  const alone = recap.notInspected ? ` from the ${other} evidence alone` : '';
  if (recap.diagnosed === false) lines.push('  causes found: not diagnosed (no diagnose step was selected)');
  else if (recap.causes.length === 0)
    lines.push(
      `  causes: none detected${recap.notRun || recap.unknown ? ' by the steps that ran' : ''}${alone}`,
    );
  else if (recap.notInspected) lines.push(`  the causes below rest on the ${other} evidence alone:`);
  const idWidth = Math.max(
    0,
    ...recap.causes.map((x) => `${x.cause} ${formatConfidence(x.confidence)}`.length),
  );
  for (const cause of recap.causes) {
    const label = `${cause.cause} ${formatConfidence(cause.confidence)}`.padEnd(idWidth);
    const hang = ' '.repeat(idWidth + 6);
    if (cause.fate === 'fixed') {
      const text = `  ✔ ${label}  fixed and verified${cause.fixedBy ? ` by ${cause.fixedBy}` : ''}`;
      lines.push(...wrapText(text, width, hang).map((l, i) => (i === 0 ? l.replace('✔', c.green('✔')) : l)));
    } else {
      const text = `  ⚠ ${label}  remains: ${cause.why ?? 'still detected'}`;
      lines.push(
        ...wrapText(text, width, hang).map((l, i) =>
          i === 0 ? l.replace('⚠', paintTone('warn', '⚠', c)) : l,
        ),
      );
      // With one side not inspected, the other side's evidence is all there is: show it.
      if (recap.notInspected)
        for (const ev of report.causes.find((x) => x.cause === cause.cause)?.evidence ?? [])
          lines.push(
            ...wrapText(`${hang}${ev.stepId}: ${ev.evidence}`, width, `${hang}  `).map((l) => c.dim(l)),
          );
      if (cause.next) lines.push(...wrapText(`${hang}next: ${cause.next}`, width, `${hang}      `));
    }
  }
  for (const cause of recap.unknown ?? [])
    lines.push(
      ...wrapText(
        `  ? ${cause.cause}  unknown: needs ${cause.needs.join(', ')}, which did not run`,
        width,
        '      ',
      ),
    );
  if (recap.notRun)
    lines.push(
      ...wrapText(`  not run: ${formatNotRun(recap.notRun)}`, width, '    ').map((l) => c.yellow(l)),
    );
  for (const change of recap.changes) {
    lines.push(
      ...wrapText(
        `  ${formatMark(CHANGE_MARKS[change.status], c)} ${change.stepId}: ${describeChangeStatus(change)}`,
        width,
        '      ',
      ),
      // A command is never wrapped, so it pastes whole.
      `      undo: ${change.undo}`,
    );
  }
  if (recap.changes.filter((x) => x.undo === recap.rollbackCommand).length > 1)
    lines.push(c.dim('  (one rollback undoes every change of the run still in place, newest first)'));
  if (steps) lines.push(...wrapText(steps, width, '    '));
  lines.push(...wrapText(`exit ${recap.exitCode ?? '-'}: ${recap.exitMeaning}`, width, '  '));
  return lines;
}

/** The side the run could not manage: why, what it printed, the steps not run there, what to do. */
function formatNotInspected(not: NonNullable<RunRecap['notInspected']>, c: Colors, width: number): string[] {
  return [
    ...wrapText(
      `  ${formatMark('unreachable', c)} the ${not.side} was not inspected: ${not.target} could not be reached: ${not.why}`,
      width,
      '      ',
    ),
    ...wrapText(`      ${not.detail}`, width, '        ').map((l) => c.dim(l)),
    ...(not.steps.length ? wrapText(`      not run there: ${not.steps.join(', ')}`, width, '        ') : []),
    ...wrapText(`      next: ${not.next}`, width, '            '),
  ];
}

/** Steps that did not run, with why: `dns (skipped at the prompt), tcp (FAILED)`. */
export function formatNotRun(
  notRun: ReadonlyArray<{ stepId: string; status: string; reason?: string | undefined }>,
): string {
  return notRun
    .map((s) => {
      const word =
        s.status === 'notRun' ? 'not run' : (STEP_MARKS[s.status as StepVerdict]?.word ?? s.status);
      return `${s.stepId} (${s.status === 'notRun' ? word : (s.reason ?? word)})`;
    })
    .join(', ');
}
