/**
 * The journal of a fleet run: `<stateDir>/runs/<fleetId>/fleet.jsonl`, one record a line, each
 * fsync'd. It names every target and the run id of its own journal (`<fleetId>.<host>`, a normal
 * run that rollback, resume and report read alone), and says how each target ended; a target the
 * run never started (refused by the approval, Ctrl+C) is recorded here only.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { isRunId } from '../engine/run-store.js';

/** How one target of a fleet ended. */
export type FleetHostOutcome =
  /** Nothing to fix: no cause detected. */
  | 'ok'
  /** Fixes were applied and verified. */
  | 'repaired'
  /** Problems remain (a step failed, a cause has no fix, a fix was skipped). */
  | 'failed'
  /** A failure or an abort undid its changes. */
  | 'rolledBack'
  /** The target could not be reached for management. */
  | 'unreachable'
  /** The approval does not allow this target (unattended), or another run holds its lock. */
  | 'refused'
  /** Ctrl+C while it ran. */
  | 'cancelled'
  /** Ctrl+C or an abort came before it started. */
  | 'notStarted';

/** A target of a fleet run as the fleet journal names it. */
export interface FleetMemberRecord {
  host: string;
  /** The run id of its own journal. */
  runId: string;
  /** Where its `on: target` steps ran (no credentials). */
  target: string;
}

/** One line of fleet.jsonl. */
export type FleetRecord =
  | {
      type: 'fleet-start';
      fleetId: string;
      at: string;
      pid: number;
      playbook: { name: string; file: string };
      forks: number;
      members: FleetMemberRecord[];
    }
  | {
      type: 'host-end';
      at: string;
      host: string;
      outcome: FleetHostOutcome;
      /** Why a target was refused or failed before its run could start. */
      reason?: string;
      /** Causes detected on it, and the fix steps that changed it. */
      causes: string[];
      fixed: string[];
      autoReverted: number;
    }
  | { type: 'fleet-end'; at: string; durationMs: number; interrupted: boolean };

/** The path of a fleet run's journal. */
export function fleetJournalPathOf(stateDir: string, fleetId: string): string {
  if (!isRunId(fleetId)) throw new UsageError(`"${fleetId}" is not a run id`);
  return join(stateDir, 'runs', fleetId, 'fleet.jsonl');
}

/** True when `runId` names a fleet run (it has a fleet.jsonl). */
export function isFleetRun(stateDir: string, runId: string): boolean {
  return isRunId(runId) && existsSync(fleetJournalPathOf(stateDir, runId));
}

/** An open fleet journal. */
export class FleetJournal {
  private constructor(private fd: number | undefined) {}

  /** Creates the fleet journal (owner-only); fails if the run exists. */
  static create(path: string): FleetJournal {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    return new FleetJournal(openSync(path, 'wx', 0o600));
  }

  append(record: FleetRecord): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A fleet run as its journal says: its start, and how each target ended (absent: still running or crashed). */
export interface FleetRun {
  start: Extract<FleetRecord, { type: 'fleet-start' }>;
  ends: Map<string, Extract<FleetRecord, { type: 'host-end' }>>;
  end?: Extract<FleetRecord, { type: 'fleet-end' }>;
}

/** Reads a fleet run's journal; a torn last line (a crash mid-write) is left out. */
export function readFleetRun(stateDir: string, fleetId: string): FleetRun {
  const path = fleetJournalPathOf(stateDir, fleetId);
  if (!existsSync(path)) throw new UsageError(`no fleet run "${fleetId}" in ${stateDir}`);
  const records: FleetRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as FleetRecord);
    } catch {
      // A torn last line: the records before it stand.
    }
  }
  const start = records.find((r) => r.type === 'fleet-start');
  if (start?.type !== 'fleet-start') throw new UsageError(`${path} has no fleet-start record`);
  const ends = new Map<string, Extract<FleetRecord, { type: 'host-end' }>>();
  let end: FleetRun['end'];
  for (const r of records) {
    if (r.type === 'host-end') ends.set(r.host.toLowerCase(), r);
    if (r.type === 'fleet-end') end = r;
  }
  return { start, ends, ...(end ? { end } : {}) };
}

/** The members of a fleet run that `--host` names (all when none), or a UsageError naming the hosts. */
export function selectFleetMembers(run: FleetRun, hosts: string[] | undefined): FleetMemberRecord[] {
  if (!hosts || hosts.length === 0) return run.start.members;
  const byName = new Map(run.start.members.map((m) => [m.host.toLowerCase(), m]));
  return hosts.map((h) => {
    const member = byName.get(h.toLowerCase());
    if (!member)
      throw new UsageError(
        `fleet run ${run.start.fleetId} has no host "${h}"; its hosts: ${run.start.members.map((m) => m.host).join(', ')}`,
      );
    return member;
  });
}
