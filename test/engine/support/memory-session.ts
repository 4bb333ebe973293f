/**
 * TEST DOUBLE: an in-memory "PowerShell" for unit tests of the engine's state machine. Scripts are
 * JavaScript functions over a plain object that stands for the target's state. The real tests of
 * the engine (test/engine/*-real.test.ts, test/e2e) run real PowerShell.
 */
import { createHash } from 'node:crypto';

import type { EnginePlaybook } from '../../../src/engine/engine-playbook.js';
import type { SessionProvider } from '../../../src/engine/session-provider.js';
import { Playbook } from '../../../src/playbook/schema.js';
import type { ScriptOutcome, ScriptRequest, Session, TargetSpec } from '../../../src/powershell/types.js';

/** What a fake script returns: a result, or an outcome that is not ok. */
export type FakeAnswer =
  | { result: unknown }
  | { status: 'failed' | 'timedOut' | 'connectionLost'; message?: string };

/** A fake script: reads and changes `world.state`. */
export type FakeScript = (
  params: Record<string, unknown>,
  world: MemoryWorld,
  whatIf: boolean,
) => FakeAnswer | Promise<FakeAnswer>;

/** The fake target: its state and every script call, in order. */
export class MemoryWorld {
  state: Record<string, unknown> = {};
  calls: string[] = [];
  constructor(readonly scripts: Record<string, FakeScript>) {}
}

/** An EnginePlaybook whose script paths are `/mem/<name>` and whose texts are the names. */
export function memoryPlaybook(doc: unknown, scriptNames: string[]): EnginePlaybook {
  const parsed = Playbook.parse(doc);
  return {
    file: '/mem/playbook.yaml',
    dir: '/mem',
    source: JSON.stringify(doc),
    sha256: 'memory',
    doc: parsed,
    scripts: new Map(
      scriptNames.map((n) => [
        `/mem/${n}`,
        { text: n, sha256: createHash('sha256').update(n).digest('hex') },
      ]),
    ),
    scriptPath(step, role) {
      const value = (step as Record<string, unknown>)[role];
      if (typeof value !== 'string') throw new Error(`step ${step.id} has no ${role}`);
      return `/mem/${value}`;
    },
  };
}

/** A Session over a MemoryWorld. */
export class MemorySession implements Session {
  readonly target: TargetSpec = { kind: 'local' };
  closed = false;
  constructor(private readonly world: MemoryWorld) {}

  async run(request: ScriptRequest): Promise<ScriptOutcome> {
    if (this.closed) throw new Error('session closed');
    const fn = this.world.scripts[request.script];
    this.world.calls.push(`${request.script}${request.whatIf ? ' -WhatIf' : ''}`);
    if (!fn) throw new Error(`no fake script ${request.script}`);
    const answer = await fn(request.params, this.world, request.whatIf === true);
    const base = {
      warnings: [],
      verbose: [],
      information: [],
      durationMs: 1,
      sessionReset: false,
      diagnostics: '',
    };
    if ('result' in answer) return { ...base, status: 'ok', result: answer.result };
    return {
      ...base,
      status: answer.status,
      result: null,
      error: { message: answer.message ?? answer.status },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A SessionProvider over one MemoryWorld (client and target share it). */
export function memorySessions(
  world: MemoryWorld,
): SessionProvider & { reopened: number; interrupted: number } {
  let session = new MemorySession(world);
  const provider = {
    reopened: 0,
    interrupted: 0,
    async get() {
      if (session.closed) session = new MemorySession(world);
      return session;
    },
    async reopen() {
      provider.reopened += 1;
      session = new MemorySession(world);
      return session;
    },
    async interrupt() {
      provider.interrupted += 1;
      await session.close();
    },
    async close() {
      await session.close();
    },
  };
  return provider;
}
