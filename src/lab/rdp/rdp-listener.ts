import { type FSWatcher, watch } from 'node:fs';
import net from 'node:net';
import { basename, dirname } from 'node:path';
import { readHostState } from '../host-state.js';
import { serveRdpConnection } from './rdp-connection.js';
import { modelRdpServer, type RdpServerModel } from './rdp-server-model.js';
import { openSilentPort, type SilentPort } from './silent-port.js';

/**
 * The RDP listener of one lab host: on its loopback address it listens, refuses or silently drops
 * at the port its state names, and answers each connection from a fresh read of the state file.
 * An RDP server has one port per address, so the binding is reconciled whenever the file changes
 * (a directory watch) and whenever a connection finds the state moved on.
 */

/** How the address answers right now. */
export type ListenerMode = 'listening' | 'refusing' | 'dropping';

/** What the listener is doing, with the state's reason when it is not listening. */
export interface ListenerStatus {
  mode: ListenerMode;
  port: number;
  reason?: string;
  /** Set when the binding the state asks for could not be made (e.g. the port is taken). */
  error?: string;
}

/** A running listener. */
export interface RdpListener {
  readonly address: string;
  readonly statePath: string;
  status(): ListenerStatus;
  /** Re-reads the state now and rebinds if needed; resolves when the binding matches the state. */
  reconcile(): Promise<ListenerStatus>;
  close(): Promise<void>;
}

/** Options for one listener. */
export interface RdpListenerOptions {
  address: string;
  statePath: string;
  /** Ports the network path between client and host drops (a scenario's `network.blockedPorts`). */
  blockedPorts?: number[];
  /** Called after every change of binding or reason (for `lab up` output and the stand-in ssh). */
  onStatus?: (status: ListenerStatus) => void;
}

interface Binding {
  status: ListenerStatus;
  server?: net.Server;
  silent?: SilentPort;
}

/** Starts the listener and resolves once it is bound as the state says. */
export async function startRdpListener(options: RdpListenerOptions): Promise<RdpListener> {
  const { address, statePath } = options;
  const connections = new Set<net.Socket>();
  let binding: Binding = { status: { mode: 'refusing', port: 0, reason: 'starting' } };
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;

  const blocked = new Set(options.blockedPorts ?? []);
  const statusOf = (model: RdpServerModel): ListenerStatus => {
    if (blocked.has(model.port) && model.reachability.kind !== 'dropped') {
      return { mode: 'dropping', port: model.port, reason: 'port-unreachable' };
    }
    return statusOfModel(model);
  };

  const apply = async (model: RdpServerModel): Promise<ListenerStatus> => {
    const wanted = statusOf(model);
    const current = binding.status;
    if (!current.error && current.mode === wanted.mode && current.port === wanted.port) {
      binding.status = wanted;
      if (current.reason !== wanted.reason) options.onStatus?.(wanted);
      return wanted;
    }
    await release(binding);
    binding = await bind(wanted);
    options.onStatus?.(binding.status);
    return binding.status;
  };

  const bind = async (wanted: ListenerStatus): Promise<Binding> => {
    try {
      if (wanted.mode === 'listening') {
        const server = net.createServer((socket) => onConnection(socket));
        await listen(server, address, wanted.port);
        return { status: wanted, server };
      }
      if (wanted.mode === 'dropping')
        return { status: wanted, silent: await openSilentPort(address, wanted.port) };
      return { status: wanted };
    } catch (error) {
      return {
        status: { ...wanted, error: `cannot bind ${address}:${wanted.port}: ${(error as Error).message}` },
      };
    }
  };

  const reconcile = (): Promise<ListenerStatus> => {
    const next = queue.then(async () => {
      if (closed) return binding.status;
      try {
        return await apply(modelRdpServer(await readHostState(statePath)));
      } catch (error) {
        // A state that cannot be read keeps the last good binding; the next change retries.
        binding.status = { ...binding.status, error: (error as Error).message };
        return binding.status;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const onConnection = (socket: net.Socket): void => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    void serveRdpConnection(socket, async () => {
      const model = modelRdpServer(await readHostState(statePath));
      const fresh = statusOf(model);
      if (fresh.mode !== binding.status.mode || fresh.port !== binding.status.port) void reconcile();
      return { model, admitted: fresh.mode === 'listening' && fresh.port === socket.localPort };
    });
  };

  const scheduleReconcile = (): void => {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => void reconcile(), 15);
  };

  const name = basename(statePath);
  watcher = watch(dirname(statePath), (_event, file) => {
    if (file === null || file === name || String(file).startsWith(`${name}.`)) scheduleReconcile();
  });
  watcher.on('error', () => undefined);
  await reconcile();

  return {
    address,
    statePath,
    status: () => ({ ...binding.status }),
    reconcile,
    close: async () => {
      closed = true;
      if (debounce) clearTimeout(debounce);
      watcher?.close();
      watcher = undefined;
      await queue;
      for (const socket of connections) socket.destroy();
      await release(binding);
    },
  };
}

function statusOfModel(model: RdpServerModel): ListenerStatus {
  const r = model.reachability;
  if (r.kind === 'listening') return { mode: 'listening', port: model.port };
  return { mode: r.kind === 'refused' ? 'refusing' : 'dropping', port: model.port, reason: r.reason };
}

/** Stops listening at once; connections already accepted live on (as established TCP does). */
async function release(binding: Binding): Promise<void> {
  binding.server?.close();
  await binding.silent?.close();
}

function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}
