/**
 * revertUnlessConfirmed on a lab host over real remoting: the host keeps its own revert task, cuts
 * its management path, reverts itself, and psremedy journals what happened.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { EngineEventSchema } from '../../src/engine/events.js';
import type { JournalRecord, ServerRevertRecord } from '../../src/engine/journal-records.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { createTargetSessions } from '../../src/engine/target-sessions.js';
import { type Lab, startLab } from '../../src/lab/lab.js';
import { loadPlaybook } from '../../src/playbook/load-playbook.js';
import { resolveParams } from '../../src/playbook/resolve-params.js';
import { createColors } from '../../src/ui/colors.js';
import { createPlainReporter } from '../../src/ui/plain-reporter.js';
import { scriptedDecider } from './support/settings-fixture.js';

const CUT = new URL('../fixtures/server-revert/revert.yaml', import.meta.url).pathname;
const GOOD = new URL('../fixtures/server-revert/revert-good.yaml', import.meta.url).pathname;

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

/** The lab host's state as data, without what the lab itself keeps (tasks' run times, ACLs). */
function hostState(statePath: string): Record<string, unknown> {
  return JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown>;
}

async function runOnLab(
  file: string,
  scenario: string,
  params: Record<string, string>,
  asking?: ReturnType<typeof scriptedDecider>,
) {
  lab = await startLab(scenario);
  const host = lab.hosts[0]!;
  const start = readFileSync(host.statePath, 'utf8');
  const playbook = await loadPlaybook(file);
  const resolved = await resolveParams(playbook, params);
  const targets = { client: { kind: 'local' as const }, target: host.target };
  const sessions = createTargetSessions(targets, { ...lab.localSessionOptions, connectTimeoutMs: 15_000 });
  const events: EngineEvent[] = [];
  const stateDir = await mkdtemp(join(tmpdir(), 'psremedy-server-revert-'));
  try {
    const result = await runPlaybook({
      playbook,
      params: resolved,
      sessions,
      targets,
      stateDir,
      decider: (asking ?? scriptedDecider({})).decider,
      onEvent: (e) => events.push(e),
      mode: asking ? { interactive: true, yes: false } : { interactive: false, yes: true },
      psremedyVersion: 'test',
    });
    const records = readFileSync(result.journalPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JournalRecord);
    return { host, start, result, events, records };
  } finally {
    await sessions.close();
  }
}

const HOSTILE = `it's "quoted" $(Remove-Item C:\\) \`n; & | > %PATH%\nsecond line ünïcödé ✓ 日本`;

describe('a change the server reverts unless psremedy confirms it', () => {
  it('reverts itself when the change cuts the management path, and psremedy journals autoReverted', async () => {
    const r = await runOnLab(CUT, 'healthy', { Wanted: 'Disabled', Note: HOSTILE });
    const end = r.events.find((e) => e.type === 'step.end' && e.stepId === 'adapter');
    expect(end).toMatchObject({ status: 'autoReverted' });
    const outcomes = r.records.flatMap((x) => (x.type === 'server-revert' ? [x.outcome] : []));
    expect(outcomes).toEqual(['armed', 'autoReverted']);
    // Armed (fsync'd) after the intent and before apply ran.
    const order = r.records.map((x) => x.type);
    expect(order.indexOf('intent')).toBeLessThan(order.indexOf('server-revert'));
    expect(order.indexOf('server-revert')).toBeLessThan(order.indexOf('applied'));
    // The host is as it started: the state file is equal, the task gone.
    expect(hostState(r.host.statePath)).toEqual(JSON.parse(r.start));
    // Its revert folder was protected: SYSTEM and Administrators only, inheritance blocked.
    const disk = r.host.statePath.replace(/\.json$/, '.disk');
    const acls = JSON.parse(readFileSync(join(disk, 'file-acls.json'), 'utf8')) as Record<string, string>;
    const runFolder = join(disk, 'ProgramData', 'psremedy', 'revert', `${r.result.runId}-adapter`);
    expect(acls[runFolder]).toBe('O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)');
    expect(acls[join(disk, 'ProgramData', 'psremedy')]).toBe('O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)');
    // The hostile value reached the undo intact, through the data file (never a command line).
    expect(readFileSync(join(disk, 'ProgramData', 'psremedy-fixture', 'note.txt'), 'utf8')).toBe(HOSTILE);
    expect(existsSync(join(disk, 'ProgramData', 'psremedy', 'revert'))).toBe(true);
    expect(existsSync(join(disk, 'ProgramData', 'psremedy', 'revert', `${r.result.runId}-adapter`))).toBe(
      false,
    );
    expect(r.result.outcome).toBe('problemsRemain');
    for (const e of r.events) expect(EngineEventSchema.safeParse(e).error, e.type).toBeUndefined();
    // The plain reporter says it: armed, auto-reverted, and the step's mark.
    const lines: string[] = [];
    const plain = createPlainReporter((l) => lines.push(l), createColors({ isTTY: false }));
    for (const e of r.events) plain.onEvent(e);
    const text = lines.join('\n').replace(/\s+/g, ' ');
    expect(text).toMatch(
      /adapter: the server will undo this change itself at \S+ unless psremedy confirms it/,
    );
    expect(text).toContain('adapter: the server reverted the change itself (auto-reverted)');
    expect(text).toMatch(/↩ adapter \(Set the management adapter\) auto-reverted: not confirmed in time/);
  }, 60_000);

  it('removes the task and its folder and journals confirmed when the target answers in time', async () => {
    // Interactive: "keep this change?" is asked once the target answers again, and answered yes.
    const asking = scriptedDecider({ fix: ['apply'], keep: [true] });
    const r = await runOnLab(GOOD, 'adapter-down', {}, asking);
    expect(asking.asked.map((a) => a.question)).toEqual(['fix', 'keep']);
    expect(r.events.find((e) => e.type === 'step.end' && e.stepId === 'adapter')).toMatchObject({
      status: 'changed',
    });
    expect(r.records.flatMap((x) => (x.type === 'server-revert' ? [x.outcome] : []))).toEqual([
      'armed',
      'confirmed',
    ]);
    const now = hostState(r.host.statePath);
    expect(now.scheduledTasks).toEqual([]);
    expect(r.result.outcome).toBe('changed');
    const folder = join(r.host.statePath.replace(/\.json$/, '.disk'), 'ProgramData', 'psremedy', 'revert');
    expect(existsSync(join(folder, `${r.result.runId}-adapter`))).toBe(false);
    // Confirmed before the server's deadline: the task was removed, never run.
    const revert = r.records.filter((x): x is ServerRevertRecord => x.type === 'server-revert');
    expect(Date.parse(revert[1]!.at)).toBeLessThan(Date.parse(revert[0]!.deadline ?? ''));
    expect(existsSync(join(folder, `${r.result.runId}-adapter`, 'result.json'))).toBe(false);
  }, 60_000);
});
