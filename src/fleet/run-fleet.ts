/**
 * `runFleet`: one playbook on many targets, at most `forks` at a time (as Invoke-Command's
 * ThrottleLimit). Each target is an ordinary run (runPlaybook) with its own journal, lock and
 * remote session; their client steps share a few local sessions. A target that fails, cannot be
 * reached or is refused never stops the others; Ctrl+C (the signal) starts no new target and lets
 * the running ones roll back as a single run does. Emits events per host; never prints.
 */
import { ApprovalError, UsageError } from '../core/errors.js';
import type { EngineEvent, SummaryEvent } from '../engine/events.js';
import { readJournal } from '../engine/journal.js';
import type { JournalRecord, RankedCause, RunOutcome, RunStartRecord } from '../engine/journal-records.js';
import { type RunPlaybookOptions, runPlaybook } from '../engine/run-playbook.js';
import type { RunPolicy } from '../engine/run-policy.js';
import { createRunId, describeTarget } from '../engine/run-store.js';
import type { LoadedPlaybook } from '../playbook/load-playbook.js';
import { resolveParams } from '../playbook/resolve-params.js';
import { hostParamOf } from '../playbook/target-host.js';
import type { SessionOptions } from '../powershell/session-options.js';
import type { TargetSpec } from '../powershell/types.js';
import { type ClientSessionPool, createClientSessionPool } from './client-session-pool.js';
import type { FleetDecider } from './fleet-decider.js';
import { type FleetHostOutcome, FleetJournal, fleetJournalPathOf } from './fleet-journal.js';
import { createFleetTargetSessions } from './fleet-sessions.js';
import { type FleetSummary, summarizeFleet } from './fleet-summary.js';
import { forEachAtOnce } from './for-each-at-once.js';
import { createHostSignals } from './host-signals.js';
import { createOpenGate, defaultOpensAtOnce, type OpenGate } from './open-gate.js';

/** Invoke-Command's default ThrottleLimit. */
export const DEFAULT_FORKS = 32;
/** Local sessions the targets' client steps share at most, unless told. */
export const DEFAULT_CLIENT_SESSIONS = 8;

/** One target of a fleet (an inventory host fits: name, target, params). */
export interface FleetMember {
  /** The host's name in messages, journals and `--host`. */
  name: string;
  /** Where its `on: target` steps run. */
  target: TargetSpec;
  /** Its own params (an inventory's host and group params); `--param` values override them. */
  params?: Record<string, unknown>;
  /** The lab host it is (journaled so rollback and resume reach it again). */
  labRecord?: RunStartRecord['lab'];
}

/** How one target ended. */
export interface FleetHostResult {
  host: string;
  runId: string;
  target: string;
  outcome: FleetHostOutcome;
  /** The run's own outcome (absent when it never started). */
  runOutcome?: RunOutcome;
  journalPath?: string;
  /** Why it was refused or could not start. */
  reason?: string;
  /** The causes its diagnosis ranked (detected or not), as its summary event gave them. */
  causes: RankedCause[];
  fixed: string[];
  remaining: string[];
  /** Why its server could not be reached for management (outcome unreachable). */
  unreachable?: SummaryEvent['unreachable'];
  /** Changes the server reverted on its own (journaled by the self-revert of fixes). */
  autoReverted: number;
  durationMs: number;
}

/** How a fleet run ended. */
export interface FleetResult {
  fleetId: string;
  journalPath: string;
  hosts: FleetHostResult[];
  summary: FleetSummary;
  interrupted: boolean;
  /** The most local client sessions that were open at once. */
  peakClientSessions: number;
  durationMs: number;
}

/** What a target needs before its run starts: its params and, unattended, its policy. */
export interface PreparedHost {
  params: Record<string, unknown>;
  policy?: RunPolicy;
}

/** Everything a fleet run needs; the CLI builds it from flags, a bench or a test directly. */
export interface RunFleetOptions {
  playbook: LoadedPlaybook;
  members: FleetMember[];
  /** `--param` values every target gets. */
  params?: Record<string, string>;
  paramsFile?: string;
  stateDir: string;
  forks?: number;
  clientSessions?: number;
  /** Sessions opened at once (default one per core, at least two); waiting does not count against the connect timeout. */
  opensAtOnce?: number;
  /** For every session: the lab's env and client module, the connect timeout, --verbose's noise. */
  sessionOptions?: SessionOptions;
  mode: RunPlaybookOptions['mode'];
  selection?: RunPlaybookOptions['selection'];
  /** Interactive runs: one question per fix across the fleet. Absent: the engine must never ask. */
  decider?: FleetDecider;
  onEvent?: (host: string, event: EngineEvent) => void;
  onHostEnd?: (result: FleetHostResult) => void;
  /** Aborting it is Ctrl+C. */
  signal?: AbortSignal;
  /**
   * Resolves a target's params (default: the member's and `--param`s, the playbook's host param
   * set to the target); unattended runs verify the approval here. Throwing an ApprovalError or a
   * UsageError refuses that target alone.
   */
  prepareHost?: (member: FleetMember, raw: Record<string, string>) => Promise<PreparedHost>;
  psremedyVersion: string;
  /** The fleet run's id (default a fresh one). */
  fleetId?: string;
}

/** Runs the playbook on every member and returns how each ended, with the fleet's summary. */
export async function runFleet(options: RunFleetOptions): Promise<FleetResult> {
  const startedAt = performance.now();
  const forks = checkCount(options.forks ?? DEFAULT_FORKS, '--forks');
  const fleetId = options.fleetId ?? createRunId();
  const members = options.members;
  const runIds = memberRunIds(fleetId, members);
  const journalPath = fleetJournalPathOf(options.stateDir, fleetId);
  const journal = FleetJournal.create(journalPath);
  const signal = options.signal ?? new AbortController().signal;
  const pool = createClientSessionPool(
    Math.min(forks, checkCount(options.clientSessions ?? DEFAULT_CLIENT_SESSIONS, 'client sessions')),
    options.sessionOptions ?? {},
  );
  const gate = createOpenGate(checkCount(options.opensAtOnce ?? defaultOpensAtOnce(), 'opens at once'));
  const results: FleetHostResult[] = new Array(members.length);
  journal.append({
    type: 'fleet-start',
    fleetId,
    at: new Date().toISOString(),
    pid: process.pid,
    playbook: { name: options.playbook.doc.name, file: options.playbook.file },
    forks,
    members: members.map((m, i) => ({
      host: m.name,
      runId: runIds[i] ?? '',
      target: describeTarget(m.target),
    })),
  });
  const hostSignals = createHostSignals(signal);
  const stopsStarting = () => signal.aborted || options.decider?.aborted() === true;
  const work = async (member: FleetMember, i: number) => {
    const runId = runIds[i] as string;
    const hostSignal = hostSignals.open();
    const result = stopsStarting()
      ? notRun(member, runId, 'notStarted', 'not started: the fleet run was stopped first')
      : await runMember(options, member, runId, { pool, gate }, hostSignal.signal).finally(hostSignal.done);
    results[i] = result;
    journal.append({
      type: 'host-end',
      at: new Date().toISOString(),
      host: result.host,
      outcome: result.outcome,
      ...(result.reason ? { reason: result.reason } : {}),
      causes: result.causes.filter((c) => c.detected).map((c) => c.cause),
      fixed: result.fixed,
      autoReverted: result.autoReverted,
    });
    options.onHostEnd?.(result);
  };
  try {
    await forEachAtOnce(members, forks, work);
  } finally {
    hostSignals.close();
    await pool.close();
  }
  const durationMs = Math.round(performance.now() - startedAt);
  journal.append({
    type: 'fleet-end',
    at: new Date().toISOString(),
    durationMs,
    interrupted: signal.aborted,
  });
  journal.close();
  return {
    fleetId,
    journalPath,
    hosts: results,
    summary: summarizeFleet(results),
    interrupted: signal.aborted,
    peakClientSessions: pool.peakOpen(),
    durationMs,
  };
}

async function runMember(
  options: RunFleetOptions,
  member: FleetMember,
  runId: string,
  shared: { pool: ClientSessionPool; gate: OpenGate },
  signal: AbortSignal,
): Promise<FleetHostResult> {
  const startedAt = performance.now();
  let prepared: PreparedHost;
  try {
    const raw = rawParamsOf(options, member);
    prepared = options.prepareHost
      ? await options.prepareHost(member, raw)
      : { params: await resolveParams(options.playbook, raw, options.paramsFile) };
  } catch (error) {
    if (error instanceof ApprovalError || error instanceof UsageError)
      return notRun(member, runId, 'refused', (error as Error).message);
    throw error;
  }
  let summary: SummaryEvent | undefined;
  const sessions = createFleetTargetSessions(
    member.target,
    shared.pool,
    options.sessionOptions ?? {},
    shared.gate,
  );
  const decider = options.decider;
  decider?.hostStarted(member.name);
  try {
    const result = await runPlaybook({
      playbook: options.playbook,
      params: prepared.params,
      sessions,
      targets: { client: { kind: 'local' }, target: member.target },
      stateDir: options.stateDir,
      decider: decider?.deciderFor(member.name) ?? neverAsks,
      onEvent: (event) => {
        if (event.type === 'summary') summary = event;
        options.onEvent?.(member.name, event);
      },
      mode: options.mode,
      ...(options.selection ? { selection: options.selection } : {}),
      ...(prepared.policy ? { policy: prepared.policy } : {}),
      signal,
      psremedyVersion: options.psremedyVersion,
      runId,
      ...(member.labRecord ? { lab: member.labRecord } : {}),
    });
    return {
      host: member.name,
      runId,
      target: describeTarget(member.target),
      outcome: fleetOutcomeOf(result.outcome, summary),
      runOutcome: result.outcome,
      journalPath: result.journalPath,
      causes: summary?.causes ?? [],
      fixed: summary?.fixed ?? [],
      remaining: summary?.remaining ?? [],
      ...(summary?.unreachable ? { unreachable: summary.unreachable } : {}),
      autoReverted: countAutoReverted(readJournalSafely(result.journalPath)),
      durationMs: Math.round(performance.now() - startedAt),
    };
  } catch (error) {
    // The lock of a target another run works on, or a run that could not start: this host only.
    const outcome = error instanceof UsageError || error instanceof ApprovalError ? 'refused' : 'failed';
    return {
      ...notRun(member, runId, outcome, (error as Error).message),
      durationMs: Math.round(performance.now() - startedAt),
    };
  } finally {
    decider?.hostEnded(member.name);
    await sessions.close();
  }
}

/** A target's raw params: its own, then `--param`s, and the playbook's host param naming it. */
function rawParamsOf(options: RunFleetOptions, member: FleetMember): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(member.params ?? {}))
    raw[k] = typeof v === 'string' ? v : JSON.stringify(v);
  Object.assign(raw, options.params ?? {});
  const hostParam = hostParamOf(options.playbook.doc.target?.host);
  if (hostParam) {
    const own = member.params?.[hostParam];
    raw[hostParam] = own === undefined ? hostNameOf(member.target) : String(own);
  }
  return raw;
}

function hostNameOf(target: TargetSpec): string {
  return target.kind === 'local'
    ? 'localhost'
    : target.kind === 'ssh'
      ? target.hostName
      : target.computerName;
}

/** The fleet's word for a run's outcome: `changed` is repaired, `ok` nothing to fix. */
export function fleetOutcomeOf(outcome: RunOutcome, summary?: Pick<SummaryEvent, 'fixed'>): FleetHostOutcome {
  if (outcome === 'changed') return 'repaired';
  if (outcome === 'ok') return (summary?.fixed.length ?? 0) > 0 ? 'repaired' : 'ok';
  if (outcome === 'problemsRemain') return 'failed';
  return outcome;
}

function notRun(
  member: FleetMember,
  runId: string,
  outcome: FleetHostOutcome,
  reason: string,
): FleetHostResult {
  return {
    host: member.name,
    runId,
    target: describeTarget(member.target),
    outcome,
    reason,
    causes: [],
    fixed: [],
    remaining: [],
    autoReverted: 0,
    durationMs: 0,
  };
}

/** Run ids `<fleetId>.<host>`: the host's name reduced to what a run id may hold, made unique. */
function memberRunIds(fleetId: string, members: FleetMember[]): string[] {
  const taken = new Set<string>();
  return members.map((m) => {
    const base =
      m.name
        .replace(/[^A-Za-z0-9_-]+/g, '-')
        .replace(/^-+/, '')
        .slice(0, 40) || 'host';
    let id = `${fleetId}.${base}`;
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${fleetId}.${base}-${n}`;
    taken.add(id.toLowerCase());
    return id;
  });
}

function checkCount(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} ${n} is not a whole number of at least 1`);
  return n;
}

function readJournalSafely(path: string): JournalRecord[] {
  try {
    return readJournal(path);
  } catch {
    return [];
  }
}

/** Changes the server reverted by itself, as its `server-revert` records settle them. */
function countAutoReverted(records: JournalRecord[]): number {
  return records.filter((r) => r.type === 'server-revert' && r.outcome === 'autoReverted').length;
}

const refuse = () => Promise.reject(new Error('this fleet run has no terminal to ask on'));
const neverAsks = { decideFix: refuse, decideKeep: refuse, decideStep: refuse };
