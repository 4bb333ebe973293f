/**
 * The local PowerShell sessions that `on: client` steps of a fleet share. Without it every target
 * would hold its own local session for its client steps next to the one carrying its remote
 * session; with it, client steps of all targets run on at most `size` local processes, each
 * opened on first need. A request takes a free session or waits for one.
 */
import { openSession } from '../powershell/open-session.js';
import type { SessionOptions } from '../powershell/session-options.js';
import type { ScriptOutcome, ScriptRequest, Session, TargetSpec } from '../powershell/types.js';

/** A local session of the pool lent to one target: requests run on whichever pooled session is free. */
export interface PooledClientSession extends Session {
  /** Kills the pooled sessions running this target's requests now (Ctrl+C); they are reopened on need. */
  interrupt(): Promise<void>;
}

/** A bounded set of local sessions shared by the targets of a fleet run. */
export interface ClientSessionPool {
  /** A session for one target's client steps. */
  lend(): PooledClientSession;
  /** The most local sessions open at once so far. */
  peakOpen(): number;
  close(): Promise<void>;
}

interface Slot {
  session: Promise<Session> | undefined;
  /** The borrower whose request runs on it now. */
  busyFor: object | undefined;
}

/** A pool of at most `size` local sessions, opened with `options` when first needed. */
export function createClientSessionPool(size: number, options: SessionOptions): ClientSessionPool {
  const local: TargetSpec = { kind: 'local' };
  const slots: Slot[] = [];
  const waiting: Array<(slot: Slot) => void> = [];
  let peak = 0;
  let closed = false;

  const take = (borrower: object): Promise<Slot> => {
    const free = slots.find((s) => s.busyFor === undefined && s.session) ?? slots.find((s) => !s.busyFor);
    if (free) {
      free.busyFor = borrower;
      return Promise.resolve(free);
    }
    if (slots.length < size) {
      const slot: Slot = { session: undefined, busyFor: borrower };
      slots.push(slot);
      return Promise.resolve(slot);
    }
    return new Promise((resolve) =>
      waiting.push((slot) => {
        slot.busyFor = borrower;
        resolve(slot);
      }),
    );
  };
  const give = (slot: Slot) => {
    slot.busyFor = undefined;
    const next = waiting.shift();
    if (next) next(slot);
  };
  const sessionOf = (slot: Slot): Promise<Session> => {
    if (!slot.session) {
      const opening = openSession(local, options);
      slot.session = opening;
      opening.then(
        () => {
          peak = Math.max(peak, slots.filter((s) => s.session).length);
        },
        () => {
          if (slot.session === opening) slot.session = undefined;
        },
      );
    }
    return slot.session;
  };
  const discard = async (slot: Slot) => {
    const old = slot.session;
    slot.session = undefined;
    await (await old?.catch(() => undefined))?.close();
  };

  return {
    lend() {
      const borrower = {};
      return {
        target: local,
        async run(request: ScriptRequest): Promise<ScriptOutcome> {
          if (closed) throw new Error('the fleet run has ended: its client sessions are closed');
          const slot = await take(borrower);
          try {
            return await (await sessionOf(slot)).run(request);
          } finally {
            give(slot);
          }
        },
        async interrupt() {
          await Promise.all(slots.filter((s) => s.busyFor === borrower).map(discard));
        },
        // The pool outlives each target: closing one target's lease closes nothing.
        async close() {},
      };
    },
    peakOpen: () => peak,
    async close() {
      closed = true;
      await Promise.all(slots.map(discard));
    },
  };
}
