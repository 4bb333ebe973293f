import type net from 'node:net';
import tls from 'node:tls';
import type { RdpServerModel, TlsBehaviour } from './rdp-server-model.js';
import { answerNegotiation } from './rdp-server-model.js';
import { decodeConnectionRequest, encodeConnectionConfirm, PROTOCOL, readTpktLength } from './x224.js';

/** How long a connection may stay silent before the lab host hangs up (a real server has timeouts too). */
const IDLE_MS = 30_000;

/** The state as read for one connection, and whether the binding still admits it. */
export interface ConnectionView {
  model: RdpServerModel;
  admitted: boolean;
}

/**
 * Serves one RDP connection: reads the X.224 Connection Request, answers from the state read at
 * that moment, then runs TLS with the listener certificate (or fails as Schannel would). Nothing
 * past the TLS handshake is spoken: the lab answers the handshake, not a desktop session.
 */
export async function serveRdpConnection(
  socket: net.Socket,
  readView: () => Promise<ConnectionView>,
): Promise<void> {
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  let request: Buffer;
  try {
    request = await readFirstTpkt(socket);
  } catch {
    socket.destroy();
    return;
  }
  let view: ConnectionView;
  try {
    view = await readView();
  } catch {
    socket.resetAndDestroy();
    return;
  }
  if (!view.admitted) {
    refuseLate(socket, view.model);
    return;
  }
  let requested: number | undefined;
  try {
    requested = decodeConnectionRequest(request).requestedProtocols;
  } catch {
    socket.destroy();
    return;
  }
  const answer = answerNegotiation(view.model, requested);
  socket.write(encodeConnectionConfirm(answer));
  if (answer.kind !== 'response' || answer.selectedProtocol === PROTOCOL.rdp) {
    // Failures end the connection; Standard RDP Security is beyond the lab, so it hangs up after the next packet.
    if (answer.kind === 'failure') socket.end();
    else socket.once('data', () => socket.end()).resume();
    return;
  }
  startTls(socket, view.model.tls);
}

/** The state changed after this connection was accepted: behave as the new state would have. */
function refuseLate(socket: net.Socket, model: RdpServerModel): void {
  if (model.reachability.kind === 'dropped') {
    socket.pause();
    return;
  }
  socket.resetAndDestroy();
}

function startTls(socket: net.Socket, behaviour: TlsBehaviour | undefined): void {
  if (!behaviour || behaviour.kind === 'fail') {
    // Schannel could not build a credential: the ClientHello is read and the connection closes.
    socket.once('data', () => socket.destroy()).resume();
    return;
  }
  const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: secureContextFor(behaviour) });
  secure.on('error', () => secure.destroy());
  // The first PDU after TLS (MCS Connect Initial, or CredSSP's TSRequest) is where the lab stops.
  secure.once('data', () => secure.destroy());
  secure.setTimeout(IDLE_MS, () => secure.destroy());
}

const contexts = new Map<string, tls.SecureContext>();

function secureContextFor(behaviour: Extract<TlsBehaviour, { kind: 'serve' }>): tls.SecureContext {
  const key = `${behaviour.thumbprint}|${behaviour.versions.join(',')}`;
  let context = contexts.get(key);
  if (!context) {
    const legacyOnly = !behaviour.versions.includes('TLSv1.2');
    context = tls.createSecureContext({
      cert: behaviour.certPem,
      key: behaviour.keyPem,
      minVersion: behaviour.versions[0],
      maxVersion: behaviour.versions[behaviour.versions.length - 1],
      // OpenSSL refuses TLS 1.0/1.1 at its default security level; Schannel with only those enabled still offers them.
      ...(legacyOnly ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    });
    if (contexts.size > 64) contexts.clear();
    contexts.set(key, context);
  }
  return context;
}

function readFirstTpkt(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      try {
        const length = readTpktLength(data);
        if (length === undefined || data.length < length) return;
        if (length < 11) throw new Error('TPKT shorter than an X.224 header');
        socket.removeListener('data', onData);
        socket.pause();
        const rest = data.subarray(length);
        if (rest.length > 0) socket.unshift(rest);
        resolve(data.subarray(0, length));
      } catch (error) {
        socket.removeListener('data', onData);
        reject(error);
      }
    };
    socket.on('data', onData);
    socket.once('end', () => reject(new Error('closed before the Connection Request')));
  });
}
