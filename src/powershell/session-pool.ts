import { openSession, resolvePowerShell } from './open-session.js';
import { describeTarget, type SessionOptions } from './session-options.js';
import type { Session, TargetSpec } from './types.js';

/**
 * The sessions of one run: one local session for `on: client` steps and one per remote target for
 * `on: target` steps, each opened on first use and reused. Startup scripts load only locally.
 */
export class SessionPool {
  private readonly sessions = new Map<string, Promise<Session>>();

  constructor(private readonly options: SessionOptions = {}) {}

  /** The session for a target, opening it on first use (a failed open is retried next time). */
  get(target: TargetSpec): Promise<Session> {
    const key = describeTarget(target);
    let session = this.sessions.get(key);
    if (!session) {
      session = this.open(target);
      this.sessions.set(key, session);
      session.catch(() => this.sessions.delete(key));
    }
    return session;
  }

  /** Closes every session the pool opened. */
  async closeAll(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(open.map(async (s) => (await s.catch(() => undefined))?.close()));
  }

  private async open(target: TargetSpec): Promise<Session> {
    const powershell = await resolvePowerShell(this.options);
    return openSession(target, { ...this.options, powershell });
  }
}
