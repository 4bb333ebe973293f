import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HostState } from '../host-state.js';
import { HOSTS_DIR } from '../lab-paths.js';
import { resolveLabTime, resolveRelativeTimes, toIsoSeconds } from './lab-time.js';
import { materializeCertificates } from './materialize-state.js';

/**
 * Base host states (`lab/hosts/*.json`) describe a host as of "now": the clock is absent (the real
 * now) or relative to it, every other time is written `clock-24d`, and certificates may come as
 * attributes only. Reading one gives a complete state whose dates agree with the real clock, so the
 * server's evidence and the client's (which reads the real clock) agree to the day on any date.
 */

/** The file of a base state named in a scenario: a name in lab/hosts, or a path relative to the scenario. */
export function baseStateFile(base: string, relativeTo: string): string {
  return base.includes('/') || base.endsWith('.json')
    ? resolve(relativeTo, base)
    : join(HOSTS_DIR, `${base}.json`);
}

/** Reads a base state and resolves it against `now`: clock, relative times, real certificates. */
export async function readBaseState(file: string, now: Date = new Date()): Promise<HostState> {
  return resolveBaseState((await readBaseStateJson(file)) as HostState, now);
}

/** The JSON of a base state file as written (any JSON value: the caller checks its shape). */
export async function readBaseStateJson(file: string): Promise<unknown> {
  return JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
}

/** Resolves a parsed base state in place (see readBaseState) and returns it. */
export async function resolveBaseState(state: HostState, now: Date = new Date()): Promise<HostState> {
  const realNow = toIsoSeconds(now);
  const clock = typeof state.clock === 'string' ? resolveLabTime(state.clock, realNow) : realNow;
  state.clock = clock;
  resolveRelativeTimes(state, clock);
  await materializeCertificates(state);
  return state;
}
