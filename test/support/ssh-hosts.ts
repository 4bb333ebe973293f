import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killProcessTree } from '../../src/powershell/kill-process-tree.js';
import type { PowerShellExecutable } from '../../src/powershell/powershell-process.js';
import type { TargetSpec } from '../../src/powershell/types.js';

const SSHD = '/usr/sbin/sshd';

/** A machine to remote into during a test: a real loopback sshd, or a stand-in `ssh` where none can run. */
export interface SshTestHost {
  /** `sshd` (real OpenSSH server on 127.0.0.x) or `stand-in` (an `ssh` on PATH that execs the host). */
  readonly mode: 'sshd' | 'stand-in';
  /** Why a stand-in is used, when it is. */
  readonly reason?: string;
  readonly target: Extract<TargetSpec, { kind: 'ssh' }>;
  /** Environment the client-side (local) PowerShell needs: PATH with the stand-in first, if any. */
  readonly env: Record<string, string>;
  /** A folder on the "target" the tests may use. */
  readonly dir: string;
  /** Kills the server and every session process it serves (to test a lost connection). */
  kill(): Promise<void>;
  /** Starts serving again on the same address after kill(). */
  restart(): Promise<void>;
  /** Kills everything and removes the host's folder. */
  stop(): Promise<void>;
}

/** Options for a test host. */
export interface SshTestHostOptions {
  /** The PowerShell host to serve as the `powershell` subsystem (run with `-sshs`). */
  powershell: PowerShellExecutable;
  /** Last octet of the loopback address 127.0.0.x (default 2). */
  octet?: number;
  /** Extra environment for the server-side PowerShell (e.g. the lab's state file). */
  serverEnv?: Record<string, string>;
  /** Force the stand-in even where sshd could run. */
  forceStandIn?: boolean;
}

/**
 * Starts a PowerShell remoting host for tests: a real `sshd` on 127.0.0.x with a throwaway host
 * key and user key and `Subsystem powershell <host> -sshs`, run as root; where sshd cannot run
 * (not root, no openssh-server), a stand-in `ssh` first on PATH that execs the host with `-sshs`.
 */
export async function startSshTestHost(options: SshTestHostOptions): Promise<SshTestHost> {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-ssh-'));
  const serverScript = writeServerScript(dir, options);
  const reason = options.forceStandIn ? 'forced by the test' : whySshdCannotRun();
  if (reason) return startStandIn(dir, serverScript, reason);
  return startSshd(dir, serverScript, options.octet ?? 2);
}

function whySshdCannotRun(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (apt-get install openssh-server)`;
  if (process.getuid?.() !== 0) return 'sshd needs root to accept logins, and the tests do not run as root';
  if (!existsSync('/usr/bin/ssh') && !existsSync('/bin/ssh')) return 'no ssh client (openssh-client)';
  return undefined;
}

function writeServerScript(dir: string, options: SshTestHostOptions): string {
  const script = join(dir, 'powershell-subsystem.sh');
  const env = { POWERSHELL_TELEMETRY_OPTOUT: '1', ...options.serverEnv };
  const exports = Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  const command = [
    options.powershell.path,
    ...(options.powershell.args ?? []),
    '-sshs',
    '-NoLogo',
    '-NoProfile',
  ];
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      ...exports,
      `echo $$ >> ${shellQuote(join(dir, 'server-pids'))}`,
      `exec ${command.map(shellQuote).join(' ')}`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return script;
}

async function startSshd(dir: string, serverScript: string, octet: number): Promise<SshTestHost> {
  const address = `127.0.0.${octet}`;
  const hostKey = join(dir, 'host_key');
  const userKey = join(dir, 'user_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', userKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await findFreePort(address);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress ${address}:${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'LogLevel ERROR',
      `Subsystem powershell ${serverScript}`,
      '',
    ].join('\n'),
  );
  let sshd: ChildProcess | undefined;
  let log = '';
  const launch = async () => {
    sshd = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    await waitForPort(address, port, () =>
      sshd && sshd.exitCode !== null ? `sshd exited: ${log}` : undefined,
    );
  };
  await launch();
  const killAll = async () => {
    if (sshd?.pid) await killProcessTree(sshd.pid);
    await killServerProcesses(dir);
  };
  return {
    mode: 'sshd',
    target: {
      kind: 'ssh',
      hostName: address,
      port,
      userName: 'root',
      keyFilePath: userKey,
      sshOptions: { StrictHostKeyChecking: 'no', UserKnownHostsFile: '/dev/null', LogLevel: 'ERROR' },
    },
    env: {},
    dir,
    kill: killAll,
    restart: launch,
    stop: async () => {
      await killAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function startStandIn(dir: string, serverScript: string, reason: string): SshTestHost {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  let isDown = false;
  writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec ${shellQuote(serverScript)}\n`);
  chmodSync(join(bin, 'ssh'), 0o755);
  const keyFilePath = join(dir, 'user_key');
  writeFileSync(keyFilePath, 'stand-in: New-PSSession only checks that the key file exists\n');
  const killAll = async () => {
    isDown = true;
    writeFileSync(
      join(bin, 'ssh'),
      '#!/bin/sh\necho "ssh: connect to host: Connection refused" >&2\nexit 255\n',
    );
    await killServerProcesses(dir);
  };
  return {
    mode: 'stand-in',
    reason,
    target: { kind: 'ssh', hostName: 'stand-in.invalid', userName: 'root', keyFilePath },
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    dir,
    kill: killAll,
    restart: async () => {
      if (!isDown) return;
      writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec ${shellQuote(serverScript)}\n`);
      isDown = false;
    },
    stop: async () => {
      await killAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function killServerProcesses(dir: string): Promise<void> {
  const file = join(dir, 'server-pids');
  if (!existsSync(file)) return;
  const pids = readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  for (const pid of pids) await killProcessTree(pid);
}

function findFreePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const info = server.address();
      const port = typeof info === 'object' && info ? info.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(address: string, port: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const problem = failed();
    if (problem) throw new Error(problem);
    if (await canConnect(address, port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${address}:${port} within 10 s`);
}

async function canConnect(address: string, port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
