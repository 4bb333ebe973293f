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

/** The test process's environment with NO_COLOR=1 (as a real pwsh needs), `env` on top; undefined removes. */
function engineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

/** Runs `exe args`, writing `stdin` (then closing it), and collects everything. */
export function runEngine(
  exe: string,
  args: string[],
  stdin = '',
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { stdio: 'pipe', env: engineEnv(env) });
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

/**
 * One long-lived engine on `-NoExit -Command -`, driven like node-powershell: each call writes the
 * command line, then a marker line to stdout and stderr, and resolves when both markers arrive.
 */
export class EngineSession {
  private readonly child;
  private stdout = '';
  private stderr = '';
  private count = 0;
  private waiter: (() => void) | undefined;
  private failPending: ((error: Error) => void) | undefined;

  constructor(exe: string, env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(exe, [...BASE_ARGS, '-NoExit', '-Command', '-'], {
      stdio: 'pipe',
      env: engineEnv(env),
    });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
      this.waiter?.();
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      this.waiter?.();
    });
    this.child.on('exit', (code) => this.failPending?.(new Error(`engine exited (${code})`)));
  }

  /** Runs one complete line of PowerShell; returns what it wrote to stdout and stderr. */
  invoke(line: string): Promise<{ stdout: string; stderr: string }> {
    this.count += 1;
    const marker = `@@done-${this.count}@@`;
    this.child.stdin.write(
      `${line}\n[Console]::Out.WriteLine('${marker}'); [Console]::Error.WriteLine('${marker}')\n`,
      'utf8',
    );
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const o = this.stdout.indexOf(`${marker}\n`);
        const e = this.stderr.indexOf(`${marker}\n`);
        if (o < 0 || e < 0) return;
        const result = { stdout: this.stdout.slice(0, o), stderr: this.stderr.slice(0, e) };
        this.stdout = this.stdout.slice(o + marker.length + 1);
        this.stderr = this.stderr.slice(e + marker.length + 1);
        this.waiter = undefined;
        resolve(result);
      };
      this.waiter = check;
      this.failPending = reject;
      check();
    });
  }

  /** The process id of the engine. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Closes stdin and waits for the exit code. */
  close(): Promise<number | null> {
    return new Promise((resolve) => {
      this.child.once('exit', (code) => resolve(code));
      this.child.stdin.end();
    });
  }
}
