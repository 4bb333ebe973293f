import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** What one process costs: resident and proportional memory, and CPU time used so far. */
export interface ProcessFigures {
  pid: number;
  rssMiB: number;
  /** Proportional set size: shared pages (the runtime's mapped DLLs) split among the processes sharing them. */
  pssMiB: number;
  /** Private (anonymous) memory: what each further process adds for sure. */
  anonMiB: number;
  cpuMs: number;
}

const TICKS_PER_SECOND = 100;

/** Reads /proc/<pid>/smaps_rollup and /proc/<pid>/stat; undefined once the process is gone. */
export async function readProcessFigures(pid: number): Promise<ProcessFigures | undefined> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return figuresOf(pid, rollup, stat);
}

function figuresOf(pid: number, rollup: string, stat: string): ProcessFigures | undefined {
  if (!rollup || !stat) return undefined;
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
  // Fields after the parenthesised command name: utime and stime are the 14th and 15th of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return {
    pid,
    rssMiB: kb('Rss') / 1024,
    pssMiB: kb('Pss') / 1024,
    anonMiB: kb('Anonymous') / 1024,
    cpuMs: (ticks * 1000) / TICKS_PER_SECOND,
  };
}

/** The pids of lab hosts' PowerShell remoting servers (-sshs) whose run folder is one of `runDirs`. */
export async function findLabServerPids(runDirs: string[]): Promise<number[]> {
  const wanted = new Set(runDirs.map((d) => `PSREMEDY_LAB_RUN_DIR=${d}`));
  const pids: number[] = [];
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes('-sshs')) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').some((v) => wanted.has(v))) pids.push(Number(pid));
  }
  return pids;
}

/** Sums figures of several processes. */
export function sumFigures(all: ProcessFigures[]): Omit<ProcessFigures, 'pid'> {
  const sum = (pick: (f: ProcessFigures) => number) => all.reduce((s, f) => s + pick(f), 0);
  return {
    rssMiB: sum((f) => f.rssMiB),
    pssMiB: sum((f) => f.pssMiB),
    anonMiB: sum((f) => f.anonMiB),
    cpuMs: sum((f) => f.cpuMs),
  };
}

/**
 * The pids of every PowerShell process of a lab run (the relays and the hosts' -sshs servers).
 * Read one file at a time: a Promise.all over every process of the machine fills libuv's four
 * threads and stalls the fleet's own file work (journals, session opens) behind it.
 */
export function findLabProcesses(runDir: string): number[] {
  const wanted = `PSREMEDY_LAB_RUN_DIR=${runDir}`;
  const pids: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const environ = readOrEmpty(`/proc/${pid}/environ`);
    if (environ.split('\0').includes(wanted)) pids.push(Number(pid));
  }
  return pids;
}

/** readProcessFigures without the thread pool (see findLabProcesses). */
export function readProcessFiguresSync(pid: number): ProcessFigures | undefined {
  return figuresOf(pid, readOrEmpty(`/proc/${pid}/smaps_rollup`), readOrEmpty(`/proc/${pid}/stat`));
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** CPU time of this process's children that have exited and were waited for (and of theirs). */
export function readChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}
