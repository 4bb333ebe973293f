/** A loopback TCP server that answers an X.224 Connection Request with fixed bytes (protocol edge cases). */
import net from 'node:net';

/** A running fake server. */
export interface FakeServer {
  port: number;
  close(): Promise<void>;
}

/** Answers each connection's first 19 bytes with `reply` (or nothing, when null) and keeps it open. */
export async function startFakeRdpServer(reply: Buffer | null): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let seen = 0;
    socket.on('data', (chunk) => {
      seen += chunk.length;
      if (seen >= 19 && reply) socket.write(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('fake server has no address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An X.224 Connection Confirm carrying RDP_NEG_FAILURE with `code` (MS-RDPBCGR 2.2.1.2.2). */
export function negotiationFailure(code: number): Buffer {
  return Buffer.from([
    0x03,
    0x00,
    0x00,
    0x13,
    0x0e,
    0xd0,
    0x00,
    0x00,
    0x12,
    0x34,
    0x00,
    0x03,
    0x00,
    0x08,
    0x00,
    code,
    0,
    0,
    0,
  ]);
}

/** An X.224 Connection Confirm carrying RDP_NEG_RSP selecting `protocol`. */
export function negotiationResponse(protocol: number): Buffer {
  return Buffer.from([
    0x03,
    0x00,
    0x00,
    0x13,
    0x0e,
    0xd0,
    0x00,
    0x00,
    0x12,
    0x34,
    0x00,
    0x02,
    0x01,
    0x08,
    0x00,
    protocol,
    0,
    0,
    0,
  ]);
}
