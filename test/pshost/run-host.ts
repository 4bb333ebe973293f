/** Test helpers that run the built host (or a real pwsh) as a black box. */
import { spawn } from 'node:child_process';
import { ensureHostBuilt } from '../../src/powershell/build-host.js';
import { findOnPath } from '../../src/powershell/find-powershell.js';

/** What one run of an engine produced. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The engines a test file runs against: always the host, and pwsh when it is on PATH. */
export async function listEngines(): Promise<
  { name: string; path: string | undefined; skipReason?: string }[]
> {
  const pwsh = findOnPath('pwsh');
  return [
    { name: 'pshost', path: await ensureHostBuilt() },
    pwsh ? { name: 'pwsh', path: pwsh } : { name: 'pwsh', path: undefined, skipReason: 'no pwsh on PATH' },
  ];
}

/** The arguments psremedy passes before -Command/-File. */
export const BASE_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass'];

/** Runs `exe args`, writing `stdin` (then closing it), and collects everything. */
export function runEngine(
  exe: string,
  args: string[],
  stdin = '',
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { stdio: 'pipe', env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(stdin, 'utf8');
  });
}
