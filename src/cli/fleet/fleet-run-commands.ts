/**
 * `rollback`, `resume`, `runs` and `report` for a fleet run id: each works on every host of the
 * fleet, or on those `--host` names, through the same per-run command a single run uses (each
 * host's run is an ordinary run with its own journal).
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { readJournalFile } from '../../engine/journal.js';
import { describeRun, journalPathOf, resolveStateDir } from '../../engine/run-store.js';
import { readLocks } from '../../engine/target-lock.js';
import {
  type FleetHostOutcome,
  type FleetMemberRecord,
  type FleetRun,
  fleetJournalPathOf,
  readFleetRun,
  selectFleetMembers,
} from '../../fleet/fleet-journal.js';
import { forEachAtOnce } from '../../fleet/for-each-at-once.js';
import { fleetOutcomeOf } from '../../fleet/run-fleet.js';
import { rollbackCommandFor } from '../../report/recap.js';
import { type FleetReportHost, renderFleetReport } from '../../report/render-fleet.js';
import { checkOutFile, writeReportFile } from '../../report/write-report.js';
import type { ResumeFlags } from '../commands/resume/resume-command.js';
import type { RollbackFlags } from '../commands/rollback/rollback-command.js';
import { OUTCOME_WORDS } from './fleet-reporter.js';

type Io = { out(text: string): void; err(text: string): void };

/** Hosts a fleet rollback undoes at once. */
const ROLLBACKS_AT_ONCE = 8;

/** Undoes every selected host's run, a few hosts at a time; returns the worst undo status. */
export async function rollbackFleet(
  fleetId: string,
  flags: RollbackFlags & { host?: string[] },
  io: Io,
): Promise<'rolledBack' | 'nothing' | 'failed'> {
  const stateDir = resolveStateDir(flags.stateDir);
  const members = selectFleetMembers(readFleetRun(stateDir, fleetId), flags.host);
  const { rollbackCommand } = await import('../commands/rollback/rollback-command.js');
  const statuses: Array<'rolledBack' | 'nothing' | 'failed'> = [];
  const rollBack = async (m: FleetMemberRecord) => {
    if (!existsSync(journalPathOf(stateDir, m.runId))) {
      io.out(`${m.host}: nothing to undo (it never started)`);
      return;
    }
    io.err(`${m.host}: rolling back run ${m.runId}`);
    try {
      const status = await rollbackCommand(m.runId, flags, io);
      statuses.push(status === 'rolledBack' || status === 'nothing' ? status : 'failed');
    } catch (error) {
      // One host that cannot be reached or read never stops the others' rollback.
      io.err(`${m.host}: rollback failed: ${(error as Error).message}`);
      statuses.push('failed');
    }
  };
  await forEachAtOnce(members, ROLLBACKS_AT_ONCE, rollBack);
  if (statuses.includes('failed')) return 'failed';
  return statuses.includes('rolledBack') ? 'rolledBack' : 'nothing';
}

/** Continues every selected host whose run did not finish; returns each host's outcome. */
export async function resumeFleet(
  fleetId: string,
  flags: ResumeFlags & { host?: string[] },
  io: Io,
): Promise<Array<{ host: string; outcome: FleetHostOutcome }>> {
  const stateDir = resolveStateDir(flags.stateDir);
  const run = readFleetRun(stateDir, fleetId);
  const { resumeCommand } = await import('../commands/resume/resume-command.js');
  const results: Array<{ host: string; outcome: FleetHostOutcome }> = [];
  for (const m of selectFleetMembers(run, flags.host)) {
    const status = memberStatus(stateDir, m);
    if (status === 'notStarted') {
      io.err(`${m.host}: never started; run the playbook on it again with --target ${m.host}`);
      // It never ran: whatever was wrong there may still be.
      results.push({ host: m.host, outcome: 'failed' });
      continue;
    }
    if (status === 'ok' || status === 'changed' || status === 'rolledBack') {
      io.err(`${m.host}: finished (${status}); nothing to resume`);
      results.push({ host: m.host, outcome: fleetOutcomeOf(status) });
      continue;
    }
    try {
      results.push({ host: m.host, outcome: fleetOutcomeOf(await resumeCommand(m.runId, flags, io)) });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.err(`${m.host}: ${error.message}`);
      results.push({ host: m.host, outcome: 'failed' });
    }
  }
  return results;
}

/** `psremedy runs <fleetId>`: one line per host with where it stands. */
export function listFleet(
  fleetId: string,
  flags: { stateDir?: string; host?: string[]; json?: boolean },
  io: Io,
): number {
  const stateDir = resolveStateDir(flags.stateDir);
  const run = readFleetRun(stateDir, fleetId);
  const rows = selectFleetMembers(run, flags.host).map((m) => ({
    host: m.host,
    runId: m.runId,
    target: m.target,
    status: memberStatus(stateDir, m),
    fleetOutcome: run.ends.get(m.host.toLowerCase())?.outcome,
    reason: run.ends.get(m.host.toLowerCase())?.reason,
  }));
  if (flags.json) {
    io.out(
      JSON.stringify(
        { fleetId, playbook: run.start.playbook.name, startedAt: run.start.at, hosts: rows },
        null,
        2,
      ),
    );
    return 0;
  }
  io.out(
    `fleet run ${fleetId}: ${run.start.playbook.name} on ${rows.length} hosts, started ${run.start.at.replace('T', ' ').slice(0, 19)} UTC${run.end ? '' : ' (not finished)'}`,
  );
  for (const r of rows)
    io.out(`  ${r.host.padEnd(16)} ${r.status.padEnd(15)} ${r.runId}${r.reason ? `  (${r.reason})` : ''}`);
  return 0;
}

/** `psremedy report <fleetId>`: the fleet overview and every host's report in one document. */
export function renderFleetRunReport(
  fleetId: string,
  stateDir: string,
  format: 'md' | 'html' | 'json',
): string {
  const run = readFleetRun(stateDir, fleetId);
  const hosts: FleetReportHost[] = run.start.members.map((m) => {
    const path = journalPathOf(stateDir, m.runId);
    const end = run.ends.get(m.host.toLowerCase());
    const outcome = end ? OUTCOME_WORDS[end.outcome] : memberStatus(stateDir, m);
    if (!existsSync(path))
      return { host: m.host, runId: m.runId, outcome, ...(end?.reason ? { reason: end.reason } : {}) };
    return {
      host: m.host,
      runId: m.runId,
      outcome,
      records: readJournalFile(path).records,
      rollbackCommand: rollbackCommandFor(m.runId, path),
      ...(end?.reason ? { reason: end.reason } : {}),
    };
  });
  return renderFleetReport(
    {
      fleetId,
      playbook: run.start.playbook.name,
      startedAt: run.start.at,
      counts: countOutcomes(hosts),
      causes: groupCauses(run),
    },
    hosts,
    format,
  );
}

/** Where a host of a fleet stands now: its run's status, or notStarted when it has no journal. */
function memberStatus(stateDir: string, m: FleetMemberRecord): string {
  const path = journalPathOf(stateDir, m.runId);
  if (!existsSync(path)) return 'notStarted';
  const live = readLocks(stateDir).some((l) => l.alive && l.runId === m.runId);
  return describeRun(m.runId, path, readJournalFile(path).records, live)?.status ?? 'crashed';
}

function countOutcomes(hosts: FleetReportHost[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const h of hosts) counts[h.outcome] = (counts[h.outcome] ?? 0) + 1;
  return counts;
}

function groupCauses(run: FleetRun): Array<{ cause: string; hosts: string[] }> {
  const byCause = new Map<string, string[]>();
  for (const end of run.ends.values())
    for (const cause of end.causes) byCause.set(cause, [...(byCause.get(cause) ?? []), end.host]);
  return [...byCause.entries()]
    .map(([cause, hosts]) => ({ cause, hosts }))
    .sort((a, b) => b.hosts.length - a.hosts.length || a.cause.localeCompare(b.cause));
}

/** Writes the fleet report to `--out` (checked as a run report's is) or stdout. */
export function writeFleetReport(
  fleetId: string,
  options: { format: string; out?: string; stateDir?: string },
  write: (text: string) => void,
): number {
  const format = options.format;
  if (format !== 'md' && format !== 'html' && format !== 'json')
    throw new UsageError(`--format must be md, html or json, not "${options.format}"`);
  const stateDir = resolveStateDir(options.stateDir);
  if (options.out) checkOutFile(options.out, fleetJournalPathOf(stateDir, fleetId), stateDir);
  const text = renderFleetRunReport(fleetId, stateDir, format);
  if (!options.out) {
    write(text);
    return 0;
  }
  writeReportFile(options.out, text);
  write(`wrote ${options.out}\n`);
  return 0;
}
