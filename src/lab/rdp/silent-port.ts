import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

/**
 * A TCP port whose SYNs go unanswered, so clients time out as they do behind a firewall that
 * drops: a listening socket with a full accept queue that nobody accepts from. Node accepts on
 * every listening socket it holds, so the socket is handed to a `sh` child that never accepts
 * (and exits when our end of its stdin closes), and the queue is filled by two idle connections.
 * The child gets its own process group so a Ctrl+C meant for psremedy does not open the port.
 */
export interface SilentPort {
  close(): Promise<void>;
}

/** Backlog 1 admits two queued connections before Linux drops further SYNs. */
const BACKLOG = 1;
const FILLERS = BACKLOG + 1;

/** Holds `address:port` so that connecting to it times out instead of being refused. */
export async function openSilentPort(address: string, port: number): Promise<SilentPort> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, backlog: BACKLOG, exclusive: true }, () => resolve());
  });
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  let holder: ChildProcess;
  try {
    holder = spawn('sh', ['-c', 'read _'], { stdio: ['pipe', 'ignore', 'ignore', fd], detached: true });
    await new Promise<void>((resolve, reject) => {
      holder.once('spawn', resolve);
      holder.once('error', reject);
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const fillers: net.Socket[] = [];
  for (let i = 0; i < FILLERS; i++) fillers.push(await connectFiller(address, port));
  return {
    close: async () => {
      for (const f of fillers) f.destroy();
      if (holder.exitCode !== null || holder.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
      holder.stdin?.end();
      holder.kill('SIGTERM');
      await exited;
    },
  };
}

function connectFiller(address: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port }, () => {
      socket.setTimeout(0);
      socket.removeListener('error', reject);
      socket.on('error', () => socket.destroy());
      resolve(socket);
    });
    socket.once('error', reject);
    socket.setTimeout(2000, () => {
      socket.destroy();
      reject(new Error(`could not fill the accept queue of ${address}:${port}`));
    });
  });
}
