/** Words for `psremedy test`: a small table per scenario, a closing line, and the JSON form. */

import type {
  CheckName,
  PlaybookTestResult,
  ScenarioResult,
} from '../../../scenario-test/scenario-result.js';
import type { Colors } from '../../../ui/colors.js';

const CHECKS: CheckName[] = ['diagnosis', 'repair', 'rollback'];
/** At most this many detail lines per check (state differences can be long). */
const MAX_DETAILS = 12;

/** One scenario: its name, expected causes and total time, then a row per check with its reason. */
export function renderScenario(result: ScenarioResult, colors: Colors): string[] {
  const expected = result.expectedCauses.length > 0 ? result.expectedCauses.join(', ') : 'healthy';
  const verdict = result.passed ? colors.green('pass') : colors.red('FAIL');
  const lines = [
    `${colors.bold(result.scenario)} (expects ${expected})  ${verdict}  ${seconds(result.durationMs)}` +
      colors.dim(
        `  lab start ${seconds(result.labStartMs)}${result.run ? `, run ${seconds(result.run.durationMs)}` : ''}`,
      ),
  ];
  for (const name of CHECKS) {
    const check = result.checks[name];
    const mark = check.passed ? colors.green('pass') : colors.red('FAIL');
    lines.push(`  ${name.padEnd(9)} ${mark}  ${seconds(check.durationMs).padStart(6)}  ${check.reason}`);
    const shown = check.passed ? check.details.slice(0, 3) : check.details.slice(0, MAX_DETAILS);
    for (const d of shown) lines.push(colors.dim(`                          ${d}`));
    if (check.details.length > shown.length)
      lines.push(
        colors.dim(
          `                          ... ${check.details.length - shown.length} more (--json has all)`,
        ),
      );
  }
  return lines;
}

/** The closing lines: how many passed, which failed where, and where the runs were kept. */
export function renderSummary(result: PlaybookTestResult, colors: Colors): string[] {
  const failed = result.scenarios.filter((s) => !s.passed);
  const passed = result.scenarios.length - failed.length;
  const lines = [
    `${passed} of ${result.scenarios.length} scenarios passed in ${seconds(result.durationMs)}` +
      (failed.length > 0
        ? `; ${colors.red(`failed: ${failed.map((s) => `${s.scenario} (${CHECKS.filter((c) => !s.checks[c].passed).join(', ')})`).join(', ')}`)}`
        : ''),
  ];
  if (result.stateDir) lines.push(`runs, journals and lab states: ${result.stateDir}`);
  return lines;
}

/** The machine-readable result (`--json`). */
export function renderJson(result: PlaybookTestResult): string {
  return JSON.stringify(result, null, 2);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
