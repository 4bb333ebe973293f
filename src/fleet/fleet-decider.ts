/**
 * One question per fix across a fleet. Each target's run asks its own Decider; the fleet decider
 * holds every question until every target in flight is waiting at one (or has ended), then asks
 * once for the earliest fix in playbook order, naming every host waiting at it with its preview.
 * The answer is given to each of those hosts; "apply to all" and "skip" are remembered for hosts
 * that reach the same fix later (they started after the question), "abort" for every host.
 */
import type { Decider, FixDecision, FixPreview, KeepQuestion } from '../engine/decider.js';
import type { FixStepDoc, StepDoc } from '../playbook/schema.js';

/** The hosts waiting at one fix, each with its own preview (causes, evidence, state). */
export interface FleetFixQuestion {
  step: FixStepDoc;
  hosts: Array<{ host: string; preview: FixPreview }>;
}

/** The answer to a fleet question: the hosts to apply it on (the others skip it), or abort everything. */
export type FleetFixAnswer = { apply: string[]; remember: 'all' | 'none' | 'no' } | 'abort';

/** Asks a person (src/fleet/fleet-prompts.ts) or a test script. */
export interface FleetAsker {
  askFix(question: FleetFixQuestion, signal: AbortSignal): Promise<FleetFixAnswer>;
  askKeep(host: string, question: KeepQuestion, signal: AbortSignal): Promise<boolean>;
}

/** The per-target deciders of a fleet run, and the run's hooks that keep the barrier right. */
export interface FleetDecider {
  deciderFor(host: string): Decider;
  hostStarted(host: string): void;
  hostEnded(host: string): void;
  /** True once a question was answered with abort. */
  aborted(): boolean;
}

interface Waiting {
  host: string;
  preview: FixPreview;
  resolve(decision: FixDecision): void;
  reject(error: unknown): void;
}

/** A fleet decider over `asker`; `stepOrder` is the playbook's step ids in order. */
export function createFleetDecider(
  asker: FleetAsker,
  stepOrder: string[],
  signal: AbortSignal,
  onAbort: () => void = () => {},
): FleetDecider {
  const inFlight = new Set<string>();
  const waiting = new Map<string, Waiting>();
  /** Hosts inside a keep question: they do not hold the barrier. */
  const keeping = new Set<string>();
  const remembered = new Map<string, FixDecision>();
  let isAsking = false;
  let isAborted = false;
  const indexOf = (id: string) => stepOrder.indexOf(id);

  const askWhenAllWait = () => {
    if (isAsking || waiting.size === 0) return;
    for (const host of inFlight) if (!waiting.has(host) && !keeping.has(host)) return;
    const first = [...waiting.values()].sort(
      (a, b) => indexOf(a.preview.step.id) - indexOf(b.preview.step.id),
    )[0];
    if (!first) return;
    const step = first.preview.step;
    const asked = [...waiting.values()].filter((w) => w.preview.step.id === step.id);
    isAsking = true;
    asker
      .askFix({ step, hosts: asked.map((w) => ({ host: w.host, preview: w.preview })) }, signal)
      .then(
        (answer) => {
          for (const w of asked) waiting.delete(w.host);
          if (answer === 'abort') {
            isAborted = true;
            onAbort();
            for (const w of asked) w.resolve('abort');
            for (const w of [...waiting.values()]) {
              waiting.delete(w.host);
              w.resolve('abort');
            }
            return;
          }
          if (answer.remember !== 'no') remembered.set(step.id, answer.remember === 'all' ? 'apply' : 'skip');
          const chosen = new Set(answer.apply.map((h) => h.toLowerCase()));
          for (const w of asked) w.resolve(chosen.has(w.host.toLowerCase()) ? 'apply' : 'skip');
        },
        (error: unknown) => {
          for (const w of asked) {
            waiting.delete(w.host);
            w.reject(error);
          }
        },
      )
      .finally(() => {
        isAsking = false;
        askWhenAllWait();
      });
  };

  const decideFix = (host: string, preview: FixPreview, hostSignal: AbortSignal) => {
    if (isAborted) return Promise.resolve<FixDecision>('abort');
    const known = remembered.get(preview.step.id);
    if (known) return Promise.resolve(known);
    return new Promise<FixDecision>((resolve, reject) => {
      const onAbortHost = () => {
        if (waiting.get(host)?.preview !== preview) return;
        waiting.delete(host);
        reject(hostSignal.reason ?? new Error('interrupted'));
        askWhenAllWait();
      };
      hostSignal.addEventListener('abort', onAbortHost, { once: true });
      const done = () => hostSignal.removeEventListener('abort', onAbortHost);
      waiting.set(host, {
        host,
        preview,
        resolve: (d) => {
          done();
          resolve(d);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      askWhenAllWait();
    });
  };

  return {
    deciderFor(host) {
      return {
        decideFix: (preview, hostSignal) => decideFix(host, preview, hostSignal),
        async decideKeep(question, hostSignal) {
          keeping.add(host);
          askWhenAllWait();
          try {
            return await asker.askKeep(host, question, hostSignal);
          } finally {
            keeping.delete(host);
          }
        },
        decideStep: (step: StepDoc) =>
          Promise.reject(new Error(`--step is not available for a fleet (asked for ${step.id} on ${host})`)),
      };
    },
    hostStarted(host) {
      inFlight.add(host);
    },
    hostEnded(host) {
      inFlight.delete(host);
      askWhenAllWait();
    },
    aborted: () => isAborted,
  };
}
