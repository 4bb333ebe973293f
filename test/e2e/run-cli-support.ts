/** Drives the real `psremedy` CLI (bin/psremedy.js on dist/) for the run/rollback/resume e2e tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalRecord, RunStartRecord } from '../../src/engine/journal-records.js';

export const BIN = new URL('../../bin/psremedy.js', import.meta.url).pathname;
export const PLAYBOOK = new URL('../fixtures/engine/settings.yaml', import.meta.url).pathname;
export const RDP_PLAYBOOK = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;

/** A scratch folder with a state file and a state dir (PSREMEDY_HOME). */
export function scratch(state: Record<string, number>) {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-e2e-'));
  const statePath = join(dir, 'state.json');
  writeFileSync(statePath, JSON.stringify(state));
  const home = join(dir, 'home');
  const readState = () => JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, number>;
  // The fixture's slow faults sleep until this file exists (or 30 s).
  const release = () => writeFileSync(`${statePath}.release`, '');
  return { dir, statePath, home, readState, release };
}

/** A started CLI process and its collected output. */
export interface CliRun {
  child: ChildProcess;
  done: Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Starts `psremedy <args>` with PSREMEDY_HOME and no TTY (stdin closed, output piped), in its own
 * process group so a signal can reach psremedy and its PowerShell together, as a terminal's would.
 */
export function startCli(args: string[], home: string, env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, PSREMEDY_HOME: home, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{
    status: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { child, done };
}

/** Runs `psremedy <args>` to the end. */
export function cli(args: string[], home: string, env: Record<string, string> = {}) {
  return startCli(args, home, env).done;
}

/** The only run's id and journal in a state dir, once its journal exists. */
export function findRun(home: string): { runId: string; records: JournalRecord[] } | undefined {
  const runs = join(home, 'runs');
  if (!existsSync(runs)) return undefined;
  const [runId] = readdirSync(runs);
  if (!runId) return undefined;
  const path = join(runs, runId, 'journal.jsonl');
  if (!existsSync(path)) return undefined;
  const records = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as JournalRecord];
      } catch {
        return [];
      }
    });
  return { runId, records };
}

/** Waits until the run's journal holds a record matching `match`; returns the run id. */
export async function waitForRecord(
  home: string,
  match: (r: JournalRecord) => boolean,
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const run = findRun(home);
    if (run?.records.some(match)) return run.runId;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no matching journal record in ${home} within ${timeoutMs} ms`);
}

/** Sends a signal to psremedy and every process it started (its process group). */
export function signalGroup(run: CliRun, signal: NodeJS.Signals): void {
  if (run.child.pid) process.kill(-run.child.pid, signal);
}

/** Waits for a `--lab` run's run-start record; returns the lab host's state file and its bytes then. */
export async function waitForLabStart(
  home: string,
  timeoutMs = 240_000,
): Promise<{ runId: string; statePath: string; original: Buffer }> {
  let statePath = '';
  const runId = await waitForRecord(
    home,
    (r) => {
      if (r.type !== 'run-start') return false;
      statePath = (r as RunStartRecord).lab?.statePaths[0] ?? '';
      return true;
    },
    timeoutMs,
  );
  return { runId, statePath, original: readFileSync(statePath) };
}

/**
 * Runs a command line psremedy printed, through `sh`, exactly as a person pasting it would (in
 * a shell whose `psremedy` is this CLI, with the given PSREMEDY_HOME).
 */
export function runPrintedCommand(line: string, home: string) {
  const shell = `psremedy() { '${process.execPath}' '${BIN}' "$@"; }; ${line}`;
  const child = spawn('sh', ['-c', shell], {
    env: { ...process.env, PSREMEDY_HOME: home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
}

/** The commands (`psremedy ...`) a text output suggests after `label:` (e.g. `undo:`), in order. */
export function printedCommands(text: string, label: string): string[] {
  const pattern = new RegExp(`${label}\\s+(psremedy [^\\n]+?)\\s*$`, 'gm');
  return [...text.matchAll(pattern)].map((m) => m[1] ?? '');
}
