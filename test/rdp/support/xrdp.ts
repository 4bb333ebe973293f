/** Starts Debian's xrdp on a loopback port with a temporary config and certificate, for probe tests. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const XRDP = '/usr/sbin/xrdp';
const XRDP_INI = '/etc/xrdp/xrdp.ini';

/** A running xrdp and the certificate it presents. */
export interface XrdpServer {
  port: number;
  /** SHA-1 of the certificate, upper-case hex without separators (as Windows prints thumbprints). */
  thumbprint: string;
  subject: string;
  stop(): void;
}

/** Why xrdp tests cannot run here, or undefined when they can. */
export function whyXrdpUnavailable(): string | undefined {
  if (!existsSync(XRDP)) return `${XRDP} is not installed (apt-get install xrdp)`;
  if (!existsSync(XRDP_INI)) return `${XRDP_INI} is missing (the xrdp package installs it)`;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return 'openssl is not installed';
  }
  return undefined;
}

/** Starts xrdp with `security_layer` negotiate or rdp on a free loopback port and waits until it listens. */
export async function startXrdp(securityLayer: 'negotiate' | 'rdp', commonName: string): Promise<XrdpServer> {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-xrdp-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      `/CN=${commonName}`,
    ],
    { stdio: 'ignore' },
  );
  const fingerprint = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha1'], {
    encoding: 'utf8',
  });
  const thumbprint = (fingerprint.split('=')[1] ?? '').replaceAll(':', '').trim().toUpperCase();
  const port = await findFreePort();
  const ini = readFileSync(XRDP_INI, 'utf8')
    .replace(/^port=.*$/m, `port=tcp://127.0.0.1:${port}`)
    .replace(/^security_layer=.*$/m, `security_layer=${securityLayer}`)
    .replace(/^certificate=.*$/m, `certificate=${cert}`)
    .replace(/^key_file=.*$/m, `key_file=${key}`)
    .replace(/^LogFile=.*$/m, `LogFile=${join(dir, 'xrdp.log')}`);
  writeFileSync(join(dir, 'xrdp.ini'), ini);
  const child: ChildProcess = spawn(XRDP, ['--nodaemon', '--config', join(dir, 'xrdp.ini')], {
    detached: true,
    stdio: 'ignore',
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 10_000);
  } catch (error) {
    stop();
    throw error;
  }
  return { port, thumbprint, subject: `CN=${commonName}`, stop };
}

/** A port nothing listens on right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`xrdp did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
