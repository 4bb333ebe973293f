/**
 * A diagnosis with a step skipped (--step, --skip) or failed never detects a cause whose evidence
 * depends on that step: the cause is unknown, the summary lists the steps not run, and "causes:
 * none found" is never said about a diagnosis that did not run or did not finish.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunSessions, type RunLab, startRunLab } from '../../src/cli/commands/run/run-targets.js';
import type { EngineEvent, SummaryEvent } from '../../src/engine/events.js';
import { readJournal } from '../../src/engine/journal.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import type { SessionProvider } from '../../src/engine/session-provider.js';
import { loadPlaybook } from '../../src/playbook/load-playbook.js';
import { resolveParams } from '../../src/playbook/resolve-params.js';
import type { TargetSpec } from '../../src/powershell/types.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { createColors } from '../../src/ui/colors.js';
import { describeEvent } from '../../src/ui/plain-reporter.js';
import { memoryRun, scriptedDecider } from './support/settings-fixture.js';

const FLAGSHIP = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;
const summaryOf = (events: EngineEvent[]) => events.find((e): e is SummaryEvent => e.type === 'summary');

describe('causes whose evidence depends on a step that did not run (flagship, lab dns-mismatch)', () => {
  let lab: RunLab;
  let sessions: SessionProvider;
  let targets: { client: TargetSpec; target: TargetSpec };
  const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-unknown-'));

  beforeAll(async () => {
    lab = await startRunLab('dns-mismatch', stateDir);
    targets = { client: { kind: 'local' }, target: lab.target };
    sessions = openRunSessions(targets, lab.sessionOptions);
  }, 240_000);
  afterAll(async () => {
    await sessions?.close();
    await lab?.stop();
  });

  async function runFlagship(options: { step?: string[]; skip?: string[] }) {
    const playbook = await loadPlaybook(FLAGSHIP);
    const params = await resolveParams(playbook, { ComputerName: lab.hostName });
    const events: EngineEvent[] = [];
    const { decider } = scriptedDecider({ step: [...(options.step ?? [])] as never });
    const result = await runPlaybook({
      playbook,
      params,
      sessions,
      targets,
      stateDir,
      decider,
      onEvent: (e) => events.push(e),
      mode: { interactive: true, check: true, step: options.step !== undefined },
      ...(options.skip ? { selection: { skip: options.skip } } : {}),
      psremedyVersion: 'test',
    });
    const c = createColors({ isTTY: false }, {});
    const text = events.flatMap((e) => describeEvent(e, c, new Map())).join('\n');
    return { result, events, summary: summaryOf(events), text };
  }

  it('the full diagnosis detects dns-mismatch (the control)', { timeout: 240_000 }, async () => {
    const { summary } = await runFlagship({});
    expect(summary?.causes.filter((c) => c.detected).map((c) => c.cause)).toContain('dns-mismatch');
    expect(summary?.unknown).toEqual([]);
    expect(summary?.notRun).toEqual([]);
  });

  it.each([
    ['skipped at a --step prompt', { step: ['skip', 'continue'] }, 'skipped at the prompt'],
    ['left out with --skip', { skip: ['dns'] }, 'not run'],
  ])(
    'dns %s: nothing is detected, port-unreachable and dns-mismatch are unknown, dns is listed as not run',
    {
      timeout: 240_000,
    },
    async (_how, options, why) => {
      const { summary, text, result } = await runFlagship(options);
      expect(summary?.causes.filter((c) => c.detected)).toEqual([]);
      expect(summary?.unknown).toEqual(expect.arrayContaining(['port-unreachable', 'dns-mismatch']));
      const portUnreachable = summary?.causes.find((c) => c.cause === 'port-unreachable');
      expect(portUnreachable?.unknownBecause).toContain('dns');
      expect(summary?.notRun[0]).toMatchObject({ stepId: 'dns' });
      expect(result.outcome).toBe('problemsRemain');
      expect(text).not.toMatch(/port-unreachable.*detected/);
      expect(text).not.toMatch(/causes: none found$/m);
      expect(text).not.toMatch(/causes found: none$/m);
      expect(text).toMatch(new RegExp(`not run: dns \\(${why}\\)`));
      expect(text).toMatch(/diagnosis incomplete: some causes are unknown/);
    },
  );
});

describe('a diagnosis that failed or did not run', () => {
  const stateDir = () => mkdtempSync(join(tmpdir(), 'psremedy-unknown-'));
  const c = createColors({ isTTY: false }, {});
  const textOf = (events: EngineEvent[]) => events.flatMap((e) => describeEvent(e, c, new Map())).join('\n');

  it('a failed diagnose step leaves every cause unknown, skips their fixes, and never says "none found"', async () => {
    const r = memoryRun({ a: 1 }, { stateDir: stateDir() });
    r.world.scripts.diag = () => ({ status: 'failed', message: 'the target said no' });
    r.world.state.a = 0;
    const result = await runPlaybook({ ...r.runOptions, mode: { interactive: false, yes: true } });
    expect(result.outcome).toBe('problemsRemain');
    expect(r.world.state.a).toBe(0);
    const summary = summaryOf(r.events);
    expect(summary).toMatchObject({ unknown: ['a-wrong'], notRun: [{ stepId: 'diag', status: 'failed' }] });
    expect(r.events).toContainEqual(
      expect.objectContaining({
        type: 'step.end',
        stepId: 'fix_a',
        status: 'skipped',
        reason: expect.stringMatching(/^cause unknown: a-wrong \(steps not run: diag\)/),
      }),
    );
    const text = textOf(r.events);
    expect(text).not.toMatch(/none found$/m);
    expect(text).not.toMatch(/causes found: none$/m);
    expect(text).toMatch(/not run: diag \(.*the target said no/);
    const built = buildReport(readJournal(result.journalPath));
    // The recap (terminal summary, report summary, JSON) says the same as the live output.
    expect(built.recap).toMatchObject({
      verdict: 'diagnosis incomplete: some causes are unknown',
      unknown: [{ cause: 'a-wrong', needs: ['diag'] }],
      notRun: [{ stepId: 'diag', status: 'failed' }],
    });
    const report = renderMarkdown(built);
    expect(report).toContain('No cause was detected by the steps that ran.');
    expect(report).toMatch(/Not run: diag \(.*the target said no/);
    expect(report).toMatch(/- \*\*a is wrong\*\* \(`a-wrong`\): needs diag/);
  });

  it('with no diagnose step selected it says "not diagnosed", and the fixes\' tests decide', async () => {
    const r = memoryRun({ a: 1 }, { stateDir: stateDir() });
    r.world.state.a = 0;
    const result = await runPlaybook({
      ...r.runOptions,
      mode: { interactive: false, yes: true },
      selection: { only: ['fix_a'] },
    });
    expect(result.outcome).toBe('changed');
    expect(r.world.state.a).toBe(1);
    const text = textOf(r.events);
    expect(text).toMatch(/^causes: not diagnosed \(no diagnose step was selected\)$/m);
    expect(text).toMatch(/causes found: not diagnosed/);
    expect(text).not.toMatch(/none found/);
  });
});
