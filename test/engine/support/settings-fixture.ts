/** Memory fixtures: a target with named settings, a diagnose step, and one fix step per setting. */
import type { Decider, FixDecision, FixPreview, StepDecision } from '../../../src/engine/decider.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import type { RunPlaybookOptions } from '../../../src/engine/run-playbook.js';
import { type FakeScript, MemoryWorld, memoryPlaybook, memorySessions } from './memory-session.js';

/** How one setting's scripts misbehave. */
export interface SettingFaults {
  applyFails?: boolean;
  applyDoesNothing?: boolean;
  undoDoesNothing?: boolean;
  applyLosesConnection?: boolean;
}

/** test/apply/undo fake scripts for `state[key]`, which is good when equal to `good`. */
export function settingScripts(
  key: string,
  good: unknown,
  faults: SettingFaults = {},
): Record<string, FakeScript> {
  return {
    [`test-${key}`]: (_p, w) => ({
      result: { compliant: w.state[key] === good, state: { value: w.state[key] ?? null } },
    }),
    [`apply-${key}`]: (_p, w, whatIf) => {
      if (whatIf) return { result: { wouldSet: good } };
      if (faults.applyFails) return { status: 'failed', message: `cannot set ${key}` };
      const before = w.state[key] ?? null;
      if (!faults.applyDoesNothing) w.state[key] = good;
      if (faults.applyLosesConnection) return { status: 'connectionLost' };
      return { result: { changed: true, before: { value: before }, after: { value: good } } };
    },
    [`undo-${key}`]: (p, w) => {
      if (!faults.undoDoesNothing) w.state[key] = (p.Before as { value: unknown }).value;
      return { result: { restored: true } };
    },
  };
}

/** A diagnose script reporting `<key>-wrong` (confidence 0.9) for every setting that is not good. */
export function diagnoseScript(
  goods: Record<string, unknown>,
  confidences: Record<string, number> = {},
): FakeScript {
  return (_p, w) => ({
    result: {
      findings: Object.entries(goods).map(([key, good]) => ({
        cause: `${key}-wrong`,
        confidence: w.state[key] === good ? 0 : (confidences[key] ?? 0.9),
        evidence: `${key} is ${JSON.stringify(w.state[key] ?? null)}`,
      })),
    },
  });
}

/** A playbook doc with one diagnose step and one fix step per setting (in the given order). */
export function settingsDoc(keys: string[], extra: Record<string, Partial<Record<string, unknown>>> = {}) {
  return {
    apiVersion: 'psremedy/v1',
    name: 'settings',
    title: 'Settings',
    causes: keys.map((k) => ({ id: `${k}-wrong`, title: `${k} is wrong` })),
    steps: [
      { id: 'diag', title: 'Look at the settings', kind: 'diagnose', script: 'diag' } as Record<
        string,
        unknown
      >,
      ...keys.map((k) => ({
        id: `fix_${k}`,
        title: `Set ${k}`,
        kind: 'fix',
        fixes: [`${k}-wrong`],
        test: `test-${k}`,
        apply: `apply-${k}`,
        undo: `undo-${k}`,
        risk: 'low',
        ...extra[k],
      })),
    ],
  };
}

/** A decider that answers from queues and records what it was asked. */
export function scriptedDecider(answers: {
  fix?: FixDecision[];
  keep?: Array<boolean | 'never'>;
  step?: StepDecision[];
}) {
  const asked: Array<{ question: string; stepId: string; preview?: FixPreview }> = [];
  const decider: Decider = {
    async decideFix(preview) {
      asked.push({ question: 'fix', stepId: preview.step.id, preview });
      return answers.fix?.shift() ?? 'apply';
    },
    async decideKeep(q, signal) {
      asked.push({ question: 'keep', stepId: q.step.id });
      const a = answers.keep?.shift() ?? true;
      if (a !== 'never') return a;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('timeout'))));
    },
    async decideStep(step) {
      asked.push({ question: 'step', stepId: step.id });
      return answers.step?.shift() ?? 'run';
    },
  };
  return { decider, asked };
}

/** Everything runPlaybook needs over a memory world; override what a test cares about. */
export function memoryRun(
  keys: Record<string, unknown>,
  options: {
    faults?: Record<string, SettingFaults>;
    extra?: Record<string, Partial<Record<string, unknown>>>;
    stateDir: string;
    decider?: Decider;
    confidences?: Record<string, number>;
  },
) {
  const scripts: Record<string, FakeScript> = { diag: diagnoseScript(keys, options.confidences) };
  for (const [key, good] of Object.entries(keys))
    Object.assign(scripts, settingScripts(key, good, options.faults?.[key]));
  const world = new MemoryWorld(scripts);
  const playbook = memoryPlaybook(settingsDoc(Object.keys(keys), options.extra), Object.keys(scripts));
  const events: EngineEvent[] = [];
  const sessions = memorySessions(world);
  const runOptions: RunPlaybookOptions = {
    playbook,
    params: {},
    sessions,
    targets: { client: { kind: 'local' }, target: { kind: 'local' } },
    stateDir: options.stateDir,
    decider: options.decider ?? scriptedDecider({}).decider,
    onEvent: (e) => events.push(e),
    mode: { interactive: true },
    psremedyVersion: 'test',
  };
  return { world, playbook, events, sessions, runOptions };
}
