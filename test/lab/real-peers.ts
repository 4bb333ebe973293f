import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
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

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits until something (xrdp) listens on 127.0.0.1:port, for at most 10 s. */
export async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`xrdp did not listen on 127.0.0.1:${port} within 10 s`);
}
