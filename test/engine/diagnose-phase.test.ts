/**
 * The diagnose phase's order over the in-memory test double: steps start as their needs allow,
 * client and target at once, a failure stops no independent step, --step runs them one by one.
 * The same on real PowerShell and every lab scenario: test/scenarios/rdp-scenarios.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { type FakeAnswer, MemoryWorld, memoryPlaybook, memorySessions } from './support/memory-session.js';
import { scriptedDecider } from './support/settings-fixture.js';

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'psremedy-diagnose-phase-'));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

const finding = (cause: string, confidence: number) => ({
  result: { findings: [{ cause, confidence, evidence: `${cause} seen` }] },
});

/** A script that logs its start, waits until released, then answers. */
function gated(world: () => MemoryWorld, name: string, answer: FakeAnswer) {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const script = async (params: Record<string, unknown>) => {
    world().calls.push(`start ${name} ${JSON.stringify(params)}`);
    await released;
    world().calls.push(`end ${name}`);
    return answer;
  };
  return { script, release };
}

function setUp(answers: { server?: FakeAnswer } = {}) {
  let w: MemoryWorld | undefined;
  const world = () => w as MemoryWorld;
  const client = gated(world, 'client', finding('slow-port', 0.9));
  const server = gated(world, 'server', answers.server ?? { result: { ready: true, findings: [] } });
  const after = gated(world, 'after', finding('compared', 0.9));
  w = new MemoryWorld({ client: client.script, server: server.script, after: after.script });
  const doc = {
    apiVersion: 'psremedy/v1',
    name: 'concurrent',
    title: 'Concurrent',
    causes: [
      { id: 'slow-port', title: 'Slow port' },
      { id: 'compared', title: 'Compared' },
    ],
    steps: [
      { id: 'probe', title: 'Probe', kind: 'diagnose', on: 'client', script: 'client' },
      { id: 'look', title: 'Look', kind: 'diagnose', on: 'target', script: 'server' },
      {
        id: 'compare',
        title: 'Compare',
        kind: 'diagnose',
        on: 'client',
        script: 'after',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
        with: { Ready: '${{ steps.look.status == "ok" && steps.look.result.ready }}' },
      },
    ],
  };
  const events: EngineEvent[] = [];
  const options = {
    playbook: memoryPlaybook(doc, ['client', 'server', 'after']),
    params: {},
    sessions: memorySessions(w),
    targets: { client: { kind: 'local' as const }, target: { kind: 'ssh' as const, hostName: 'srv01' } },
    stateDir,
    decider: scriptedDecider({}).decider,
    onEvent: (e: EngineEvent) => events.push(e),
    psremedyVersion: 'test',
  };
  return { world: w, client, server, after, options, events };
}

/** The gated scripts' own start and end marks (the test double also logs each call's name). */
const marks = (world: MemoryWorld) =>
  world.calls.filter((c) => c.startsWith('start ') || c.startsWith('end '));
const tick = () => new Promise((r) => setTimeout(r, 50));
/** Waits (at most 10 s) until the marks hold `count` entries, then a little longer for any extra. */
async function settle(world: MemoryWorld, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (marks(world).length < count && Date.now() < deadline) await tick();
  await tick();
}

describe('the diagnose phase', () => {
  it('starts a client and a target step at once, and a step only once the steps it needs have ended', async () => {
    const s = setUp();
    const run = runPlaybook({ ...s.options, mode: { interactive: false, check: true } });
    await settle(s.world, 2);
    expect(marks(s.world)).toEqual(['start client {}', 'start server {}']);
    s.client.release();
    await settle(s.world, 3);
    // compare reads steps.look: the client's lane is free, but look has not ended.
    expect(marks(s.world)).not.toContain('start after {"Ready":true}');
    s.server.release();
    await settle(s.world, 5);
    expect(marks(s.world)).toContain('start after {"Ready":true}');
    s.after.release();
    expect((await run).outcome).toBe('problemsRemain');
    const ranked = s.events.find((e) => e.type === 'causes.ranked');
    expect(ranked?.type === 'causes.ranked' && ranked.causes.map((c) => c.cause)).toEqual([
      'slow-port',
      'compared',
    ]);
  });

  it('runs the siblings of a failed step, and what rests on it is unknown, as one by one', async () => {
    const s = setUp({ server: { status: 'timedOut', message: 'no answer' } });
    s.client.release();
    s.server.release();
    s.after.release();
    await runPlaybook({ ...s.options, mode: { interactive: false, check: true } });
    const ends = s.events.flatMap((e) => (e.type === 'step.end' ? [`${e.stepId} ${e.status}`] : []));
    expect(ends).toEqual(expect.arrayContaining(['probe ok', 'look timedOut', 'compare ok']));
    const ranked = s.events.find((e) => e.type === 'causes.ranked');
    const causes = ranked?.type === 'causes.ranked' ? ranked.causes : [];
    expect(causes.find((c) => c.cause === 'slow-port')).toMatchObject({ detected: true });
    expect(causes.find((c) => c.cause === 'compared')).toMatchObject({
      detected: false,
      unknownBecause: ['look'],
    });
  });

  it('runs the diagnose steps one by one in playbook order under --step', async () => {
    const s = setUp();
    const run = runPlaybook({
      ...s.options,
      decider: scriptedDecider({ step: ['run', 'run', 'run'] }).decider,
      mode: { interactive: true, check: true, step: true },
    });
    await settle(s.world, 1);
    expect(marks(s.world)).toEqual(['start client {}']);
    s.client.release();
    await settle(s.world, 3);
    expect(marks(s.world)).toEqual(['start client {}', 'end client', 'start server {}']);
    s.server.release();
    s.after.release();
    await run;
    expect(marks(s.world).filter((c) => c.startsWith('start'))).toHaveLength(3);
  });
});
