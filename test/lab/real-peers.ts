import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The first of `commands` missing from PATH, or undefined when all are there. */
export function missingCommand(...commands: string[]): string | undefined {
  return commands.find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0);
}

/** An Xvfb server on a display it picks itself (-displayfd). */
export async function startXvfb(): Promise<{ display: string; stop(): void }> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before naming its display`)));
  });
  return { display, stop: () => child.kill() };
}

/** What one xfreerdp run printed and how it ended. */
export interface FreeRdpRun {
  exitCode: number | null;
  log: string;
  durationMs: number;
  home: string;
}

/** Runs `xfreerdp /v:address:port +auth-only` with a fresh HOME (its known_hosts2 shows the certificate it saw). */
export async function runXfreerdp(
  display: string,
  address: string,
  port: number,
  args: string[],
): Promise<FreeRdpRun> {
  const home = await mkdtemp(join(tmpdir(), 'psremedy-xfreerdp-'));
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      'xfreerdp',
      [`/v:${address}:${port}`, '+auth-only', '/u:labuser', '/p:labpass', '/log-level:DEBUG', ...args],
      { env: { ...process.env, DISPLAY: display, HOME: home }, timeout: 40_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ exitCode, log: `${stdout}\n${stderr}`, durationMs: performance.now() - started, home });
      },
    );
  });
}

/** Stops a child process and waits for it. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}
