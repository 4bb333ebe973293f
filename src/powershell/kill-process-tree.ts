import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Kills a process and every process below it (PowerShell's own children, such as its `ssh`). */
export async function killProcessTree(pid: number): Promise<void> {
  if (process.platform === 'win32') {
    await run('taskkill', ['/PID', String(pid), '/T', '/F']).catch(() => undefined);
    return;
  }
  const tree = [pid, ...(await listDescendants(pid))];
  for (const member of tree) {
    try {
      process.kill(member, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Every process whose ancestry leads to `pid`, read from /proc (or `ps` where there is none). */
export async function listDescendants(pid: number): Promise<number[]> {
  const parents = await readParentTable();
  const found: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const current = frontier.pop()!;
    for (const [child, parent] of parents) {
      if (parent === current && !found.includes(child)) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found;
}

async function readParentTable(): Promise<Map<number, number>> {
  const table = new Map<number, number>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=']);
    for (const line of stdout.split('\n')) {
      const [child, parent] = line.trim().split(/\s+/).map(Number);
      if (child && parent !== undefined) table.set(child, parent);
    }
    return table;
  }
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (entry) => {
        try {
          const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
          // The command name may contain spaces and parentheses; fields resume after the last ')'.
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          table.set(Number(entry), Number(fields[1]));
        } catch {
          // The process ended while we looked.
        }
      }),
  );
  return table;
}

/** True while a process exists and is not a zombie waiting to be reaped. */
export async function isProcessAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || process.platform === 'linux') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
