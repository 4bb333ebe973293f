import net from 'node:net';

/**
 * Loopback addresses for lab hosts (Linux routes all of 127.0.0.0/8 to lo). A lab claims an
 * address by listening on a fixed claim port there: another lab (or test worker) that tries the
 * same address fails to bind and moves on, and the kernel frees the claim if the process dies.
 */

/** The port held on each claimed address (never an RDP port a scenario would use). */
const CLAIM_PORT = 65389;

/** An address this process holds until release(). */
export interface LoopbackClaim {
  address: string;
  release(): Promise<void>;
}

/** Claims a free 127.0.0.x (x in 2..254), starting at a random place to keep parallel labs apart. */
export async function claimLoopbackAddress(): Promise<LoopbackClaim> {
  const start = 2 + Math.floor(Math.random() * 253);
  for (let i = 0; i < 253; i++) {
    const claim = await tryClaim(`127.0.0.${2 + ((start - 2 + i) % 253)}`);
    if (claim) return claim;
  }
  throw new Error(
    'no free loopback address in 127.0.0.2-127.0.0.254: stop other labs (psremedy lab up) and retry',
  );
}

/** Claims one given address again (a lab host reopened for `psremedy resume`); undefined when taken. */
export async function claimLoopbackAddressAt(address: string): Promise<LoopbackClaim | undefined> {
  return tryClaim(address);
}

async function tryClaim(address: string): Promise<LoopbackClaim | undefined> {
  const server = net.createServer((socket) => socket.destroy());
  const claimed = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host: address, port: CLAIM_PORT, exclusive: true }, () => resolve(true));
  });
  if (!claimed) return undefined;
  server.unref();
  return { address, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
