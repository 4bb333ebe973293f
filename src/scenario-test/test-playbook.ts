/**
 * `psremedy test <playbook> --scenarios ...`: tests a playbook against lab scenarios, a few at a
 * time, each in its own folder (runs, journals, lab state) so their locks and hosts never meet.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { PlaybookError, UsageError } from '../core/errors.js';
import { loadScenario } from '../lab/scenario/scenario-loader.js';
import { type LoadedPlaybook, loadPlaybook } from '../playbook/load-playbook.js';
import { parseParamAssignments, resolveParams } from '../playbook/resolve-params.js';
import { hostParamOf } from '../playbook/target-host.js';
import { findScenarioFiles } from './find-scenario-files.js';
import type { CheckResult, PlaybookTestResult, ScenarioResult } from './scenario-result.js';
import { testScenario } from './test-scenario.js';

/** What to test and how. */
export interface PlaybookTestOptions {
  playbookFile: string;
  /** Scenario folders and files (`--scenarios`). */
  scenarios: string[];
  /** Only these scenario names (`--only`). */
  only?: string[];
  /** `--param NAME=VALUE` assignments. */
  params?: string[];
  paramsFile?: string;
  /** Keep runs and lab states here; default a temp folder, removed when every scenario passed. */
  stateDir?: string;
  /** Scenarios tested at the same time (default 1). */
  jobs?: number;
  /** Called as each scenario finishes (results may arrive out of order when jobs > 1). */
  onResult?: (result: ScenarioResult) => void;
  /** Called with the playbook's load warnings. */
  onWarning?: (text: string) => void;
}

/** Tests the playbook against every scenario; bad input (playbook, params, paths) throws before any lab starts. */
export async function testPlaybook(options: PlaybookTestOptions): Promise<PlaybookTestResult> {
  const startedAt = performance.now();
  const playbook = await loadPlaybook(options.playbookFile);
  for (const w of playbook.warnings)
    options.onWarning?.(`${w.file}:${w.line}:${w.col}: warning: ${w.message}`);
  const files = await findScenarioFiles(options.scenarios, options.only);
  const rawParams = parseParamAssignments(options.params ?? []);
  await checkInputs(playbook, files, rawParams, options.paramsFile);
  const jobs = options.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`--jobs ${jobs} is not a whole number of 1 or more`);

  const root = options.stateDir
    ? resolve(options.stateDir)
    : await mkdtemp(join(tmpdir(), `psremedy-test-${playbook.doc.name}-`));
  await mkdir(root, { recursive: true });
  const results: ScenarioResult[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index] as string;
      const result = await testOneScenario(playbook, file, rawParams, options.paramsFile, root);
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));

  const passed = results.every((r) => r.passed);
  const keep = options.stateDir !== undefined || !passed;
  if (!keep) await rm(root, { recursive: true, force: true });
  return {
    playbook: playbook.file,
    passed,
    scenarios: results,
    durationMs: Math.round(performance.now() - startedAt),
    ...(keep ? { stateDir: root } : {}),
  };
}

async function testOneScenario(
  playbook: LoadedPlaybook,
  file: string,
  rawParams: Record<string, string>,
  paramsFile: string | undefined,
  root: string,
): Promise<ScenarioResult> {
  const name = basename(file, extname(file));
  const stateDir = join(root, name);
  const startedAt = performance.now();
  try {
    return await testScenario({
      playbook,
      scenarioFile: file,
      rawParams,
      ...(paramsFile ? { paramsFile } : {}),
      stateDir,
    });
  } catch (error) {
    if (error instanceof UsageError || error instanceof PlaybookError) throw error;
    // The lab did not start (or the scenario file is broken): every check fails with that reason.
    const failed: CheckResult = {
      passed: false,
      reason: `the lab did not start: ${(error as Error).message.split('\n')[0]}`,
      details: (error as Error).message.split('\n').slice(1),
      durationMs: 0,
    };
    return {
      scenario: name,
      file,
      expectedCauses: [],
      passed: false,
      checks: { diagnosis: failed, repair: failed, rollback: failed },
      stateDir,
      labStartMs: 0,
      durationMs: Math.round(performance.now() - startedAt),
    };
  }
}

// Scenario files and params are checked before any lab starts, so bad input stops with exit 2 at once.
async function checkInputs(
  playbook: LoadedPlaybook,
  files: string[],
  rawParams: Record<string, string>,
  paramsFile: string | undefined,
): Promise<void> {
  for (const file of files) await loadScenario(file);
  const hostParam = hostParamOf(playbook.doc.target?.host);
  const withHost =
    hostParam && !(hostParam in rawParams) ? { ...rawParams, [hostParam]: 'SRV01' } : rawParams;
  await resolveParams(playbook, withHost, paramsFile);
}
