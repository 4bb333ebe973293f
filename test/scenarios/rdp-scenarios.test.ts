/**
 * `psremedy test playbooks/rdp-0x904.yaml --scenarios lab/scenarios`, in-process: every shipped
 * scenario is diagnosed, repaired and rolled back on a fresh lab host through real PowerShell
 * remoting, and each one is a test of its own so a failure names the scenario and the check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_DIR } from '../../src/lab/lab-paths.js';
import { rankingFacts } from '../../src/scenario-test/diagnose-sequentially.js';
import { findScenarioFiles } from '../../src/scenario-test/find-scenario-files.js';
import type {
  CheckName,
  PlaybookTestResult,
  ScenarioResult,
} from '../../src/scenario-test/scenario-result.js';
import { testPlaybook } from '../../src/scenario-test/test-playbook.js';

const PLAYBOOK = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;
const names = (await findScenarioFiles([SCENARIO_DIR])).map((f) =>
  f.slice(SCENARIO_DIR.length + 1, -'.yaml'.length),
);

/** Set by `npm run test:date-shift`, which runs this file again with every clock 400 days ahead. */
const DATE_SHIFT = process.env.PSREMEDY_DATE_SHIFT === '1';

const waiting = new Map<string, (result: ScenarioResult) => void>();
const results = new Map(
  names.map((name) => [name, new Promise<ScenarioResult>((resolve) => waiting.set(name, resolve))]),
);
let suite: Promise<PlaybookTestResult>;

beforeAll(() => {
  suite = testPlaybook({
    playbookFile: PLAYBOOK,
    scenarios: [SCENARIO_DIR],
    // Two labs at a time: timed-out connects are planted faults, and they overlap.
    jobs: 2,
    // 1.5 s per connect attempt keeps the planted timeouts short; lab connects answer in milliseconds.
    params: ['ConnectTimeoutMs=1500'],
    // Each scenario is first diagnosed one step at a time: the concurrent run must rank the same.
    // The date-shifted leg of CI (npm run test:date-shift) checks dates, not ordering: it skips that.
    compareSequential: !DATE_SHIFT,
    onResult: (result) => waiting.get(result.scenario)?.(result),
  });
  // A throw (bad input) must fail every test rather than leave them waiting.
  suite.catch((error: Error) => {
    for (const resolve of waiting.values()) resolve(failedEverywhere(error));
  });
});

afterAll(async () => {
  const done = await suite?.catch(() => undefined);
  // The times of each diagnose-and-repair run, for the CI log.
  if (done)
    console.info(
      done.scenarios
        .map((r) => `${r.scenario}: run ${r.run?.durationMs ?? '-'} ms, scenario ${r.durationMs} ms`)
        .concat(`all ${done.scenarios.length} scenarios: ${done.durationMs} ms`)
        .join('\n'),
    );
});

describe('psremedy test rdp-0x904 against every lab scenario', () => {
  it('has a healthy scenario and one per cause of the playbook', () => {
    expect(names).toContain('healthy');
    expect(names.length).toBeGreaterThanOrEqual(13);
  });

  it.each(names)(
    '%s: the planted causes are diagnosed, the repair leaves a healthy host, rollback restores the start',
    async (name) => {
      const result = await (results.get(name) as Promise<ScenarioResult>);
      expect(describeFailures(result)).toEqual([]);
      expect(result.passed).toBe(true);
    },
    600_000,
  );

  it.skipIf(DATE_SHIFT).each(names)(
    '%s: running the diagnose steps as their needs allow ranks the causes as running them one by one does',
    async (name) => {
      const result = await (results.get(name) as Promise<ScenarioResult>);
      expect(result.rankings, 'no rankings: the runs failed').toBeDefined();
      const { concurrent, sequential } = result.rankings ?? { concurrent: [], sequential: [] };
      expect(sequential.length).toBeGreaterThan(0);
      expect(rankingFacts(concurrent)).toEqual(rankingFacts(sequential));
    },
    600_000,
  );
});

function describeFailures(result: ScenarioResult): string[] {
  const checks: CheckName[] = ['diagnosis', 'repair', 'rollback'];
  return checks
    .filter((c) => !result.checks[c].passed)
    .map((c) => [`${c}: ${result.checks[c].reason}`, ...result.checks[c].details].join('\n    '));
}

function failedEverywhere(error: Error): ScenarioResult {
  const check = {
    passed: false,
    reason: `psremedy test threw: ${error.message}`,
    details: [],
    durationMs: 0,
  };
  return {
    scenario: '',
    file: '',
    expectedCauses: [],
    passed: false,
    checks: { diagnosis: check, repair: check, rollback: check },
    stateDir: '',
    labStartMs: 0,
    durationMs: 0,
  };
}
