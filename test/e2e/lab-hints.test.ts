/**
 * After a `--lab` run, every command psremedy prints (report, undo, continue) is pasted as printed
 * and acts on the same lab host; and no output, journal or report of the run shows the lab's
 * private keys.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostState } from '../../src/lab/host-state.js';
import { compareStates } from '../../src/lab/state-diff.js';
import { splitVolatile } from '../../src/scenario-test/compare-host-files.js';
import { keyMaterialIn, privateKeyLines } from '../lab/key-material.js';
import {
  cli,
  findRun,
  printedCommands,
  runPrintedCommand,
  signalGroup,
  startCli,
  waitForLabStart,
  waitForRecord,
} from './run-cli-support.js';

const FLAGSHIP = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;
const SCENARIO = 'firewall-closed+cert-expired';

function labScratch() {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-lab-hints-'));
  // PSREMEDY_HOME names an empty folder: a hint that forgot the state folder would find no run.
  const decoyHome = join(dir, 'decoy');
  const stateDir = join(dir, 'state');
  const run = (...extra: string[]) =>
    startCli(['run', FLAGSHIP, '--lab', SCENARIO, '--state-dir', stateDir, ...extra], decoyHome);
  return { dir, decoyHome, stateDir, run };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
/** What differs from the start, events the simulated Windows appended aside (as psremedy test judges). */
const differencesFrom = (original: Buffer, statePath: string) =>
  splitVolatile(
    'SRV01',
    compareStates(JSON.parse(original.toString('utf8')) as HostState, readJson(statePath) as HostState),
  ).differences;

describe('hints printed after a --lab run', () => {
  it('report and undo work as printed, and nothing shows a private key', { timeout: 600_000 }, async () => {
    const s = labScratch();
    const started = s.run('--yes');
    const { runId, statePath, original } = await waitForLabStart(s.stateDir);
    const ran = await started.done;
    expect(ran.status, ran.stderr).toBe(0);
    const [report] = printedCommands(ran.stdout, 'report:');
    const [undo] = printedCommands(ran.stdout, 'undo:');
    expect(report).toBe(`psremedy report ${runId} --state-dir ${s.stateDir}`);
    expect(undo).toBe(`psremedy rollback ${runId} --state-dir ${s.stateDir}`);

    const reports = await Promise.all(
      ['', ' --format html', ' --format json'].map((f) => runPrintedCommand(`${report}${f}`, s.decoyHome)),
    );
    for (const r of reports) expect(r.status, r.stderr).toBe(0);
    expect(reports[0]?.stdout).toContain(runId);

    // The lab host's keys: the original certificate's and the one the renewal made.
    const keys = [
      ...privateKeyLines(JSON.parse(original.toString('utf8'))),
      ...privateKeyLines(readJson(statePath)),
    ];
    expect(keys.length).toBeGreaterThan(20);
    const journal = readFileSync(join(s.stateDir, 'runs', runId, 'journal.jsonl'), 'utf8');
    const everything = [ran.stdout, ran.stderr, journal, ...reports.map((r) => r.stdout + r.stderr)].join(
      '\n',
    );
    expect(keyMaterialIn(everything, keys)).toEqual([]);

    const undone = await runPrintedCommand(undo ?? '', s.decoyHome);
    expect(undone.status, undone.stderr).toBe(0);
    expect(keyMaterialIn(undone.stdout + undone.stderr, keys)).toEqual([]);
    expect(differencesFrom(original, statePath)).toEqual([]);

    // Resuming a rolled-back run suggests a new run: the same lab scenario, mode and state folder.
    const refused = await runPrintedCommand(
      `psremedy resume ${runId} --state-dir ${s.stateDir}`,
      s.decoyHome,
    );
    expect(refused.status).toBe(2);
    const again = /start a new run with `([^`]+)`/.exec(refused.stderr)?.[1] ?? '';
    expect(again).toMatch(
      new RegExp(`^psremedy run \\S+rdp-0x904\\.yaml --lab ${SCENARIO.replace('+', '\\+')} `),
    );
    expect(again).toMatch(/ --yes /);
    expect(again).toMatch(new RegExp(` --state-dir ${s.stateDir}$`));
    const rerun = await runPrintedCommand(again, s.decoyHome);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(new RegExp(`lab ${SCENARIO.replace('+', '\\+')}: host SRV01`));
  });

  it('after the terminal closed mid-run, the printed continue and undo commands resume and undo on the lab host', {
    timeout: 600_000,
  }, async () => {
    const s = labScratch();
    const started = s.run('--yes');
    const { runId, statePath, original } = await waitForLabStart(s.stateDir);
    await waitForRecord(s.stateDir, (r) => r.type === 'applied', 300_000);
    signalGroup(started, 'SIGHUP');
    expect((await started.done).status).toBe(129);

    const listed = await cli(['runs', '--state-dir', s.stateDir], s.decoyHome);
    expect(listed.stdout).toMatch(new RegExp(`^${runId} .* crashed$`, 'm'));
    const [resume] = printedCommands(listed.stdout, 'continue:');
    expect(resume).toBe(`psremedy resume ${runId} --state-dir ${s.stateDir}`);
    const resumed = await runPrintedCommand(resume ?? '', s.decoyHome);
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/fixed and verified/);
    const fixed = findRun(s.stateDir)?.records.findLast((r) => r.type === 'run-end');
    expect(fixed).toMatchObject({ outcome: 'changed' });
    // The resumed re-checks reached the lab host's own RDP listener, started again for the resume.
    const rechecks = (findRun(s.stateDir)?.records ?? []).filter(
      (r) => r.type === 'step-end' && r.phase === 'recheck' && r.stepId === 'tcp',
    );
    expect(rechecks.length).toBeGreaterThan(0);
    expect(rechecks.at(-1)).toMatchObject({ status: 'ok', result: { reachable: true } });
    expect(differencesFrom(original, statePath)).not.toEqual([]);

    const [undo] = printedCommands(resumed.stdout, 'undo:');
    expect(undo).toBe(`psremedy rollback ${runId} --state-dir ${s.stateDir}`);
    const undone = await runPrintedCommand(undo ?? '', s.decoyHome);
    expect(undone.status, undone.stderr).toBe(0);
    expect(differencesFrom(original, statePath)).toEqual([]);
  });
});
