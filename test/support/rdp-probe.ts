import net from 'node:net';
import tls from 'node:tls';
import {
  decodeConnectionConfirm,
  encodeConnectionRequest,
  type NegotiationAnswer,
  PROTOCOL,
  readTpktLength,
} from '../../src/lab/rdp/x224.js';

/**
 * A small RDP handshake client: TCP connect, X.224 Connection Request with an RDP Negotiation
 * Request, Connection Confirm, then (when TLS or CredSSP was selected) the TLS handshake. It stops
 * there and sends no credentials. Used by the lab's tests and `bench/lab.ts`.
 */

/** Where the handshake stopped. */
export type ProbeStage = 'tcp' | 'x224' | 'tls' | 'done';

/** The result of one probe, success or failure. */
export interface ProbeResult {
  /** `done` when every stage the server chose completed. */
  stage: ProbeStage;
  /** What went wrong at `stage`: refused, timeout, closed, tls-failed. */
  failure?: 'refused' | 'timeout' | 'closed' | 'tls-failed' | 'protocol';
  message?: string;
  answer?: NegotiationAnswer;
  tls?: {
    protocol: string | null;
    /** Upper-case SHA-1 of the certificate, as Windows prints thumbprints. */
    thumbprint: string;
    subject: string;
    issuer: string;
    validFrom: string;
    validTo: string;
    subjectAltName?: string;
  };
  durationMs: number;
}

/** What to send. */
export interface ProbeOptions {
  host: string;
  port: number;
  /** requestedProtocols (default SSL|HYBRID); undefined in `legacy` mode sends no RDP_NEG_REQ. */
  requestedProtocols?: number;
  legacy?: boolean;
  timeoutMs?: number;
  /** Lowest TLS version to offer (default TLSv1.2, as Node does). */
  minTlsVersion?: tls.SecureVersion;
}

/** Runs the RDP handshake against a server and reports how far it got. */
export async function probeRdp(options: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 5000;
  const done = (r: Omit<ProbeResult, 'durationMs'>): ProbeResult => ({
    ...r,
    durationMs: performance.now() - started,
  });
  const socket = new net.Socket();
  try {
    const connected = await step(timeoutMs, (ok, fail) => {
      socket.once('connect', ok).once('error', fail);
      socket.connect({ host: options.host, port: options.port });
    });
    if (connected) return done({ stage: 'tcp', ...connected });
    const requested = options.legacy
      ? undefined
      : (options.requestedProtocols ?? PROTOCOL.ssl | PROTOCOL.hybrid);
    socket.write(encodeConnectionRequest(requested));
    let confirm: Buffer | undefined;
    const read = await step(timeoutMs, (ok, fail) => {
      let data = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        const length = readTpktLength(data);
        if (length === undefined || data.length < length) return;
        socket.removeAllListeners('data');
        socket.pause();
        confirm = data.subarray(0, length);
        ok();
      });
      socket.once('end', () => fail(new Error('connection closed before the Connection Confirm')));
      socket.once('error', fail);
    });
    if (read || !confirm) return done({ stage: 'x224', ...(read ?? { failure: 'closed' }) });
    const answer = decodeConnectionConfirm(confirm);
    if (answer.kind !== 'response' || answer.selectedProtocol === PROTOCOL.rdp)
      return done({ stage: 'done', answer });
    return done(await handshakeTls(socket, options, answer, timeoutMs));
  } catch (error) {
    return done({ stage: 'x224', failure: 'protocol', message: (error as Error).message });
  } finally {
    socket.destroy();
  }
}

async function handshakeTls(
  socket: net.Socket,
  options: ProbeOptions,
  answer: NegotiationAnswer,
  timeoutMs: number,
): Promise<Omit<ProbeResult, 'durationMs'>> {
  socket.removeAllListeners('end');
  socket.removeAllListeners('error');
  socket.on('error', () => undefined);
  const secure = tls.connect({
    socket,
    rejectUnauthorized: false,
    minVersion: options.minTlsVersion ?? 'TLSv1.2',
    // OpenSSL's default security level refuses TLS 1.0/1.1 even when asked for them.
    ...(options.minTlsVersion && options.minTlsVersion !== 'TLSv1.2' && options.minTlsVersion !== 'TLSv1.3'
      ? { ciphers: 'DEFAULT:@SECLEVEL=0' }
      : {}),
    ...(net.isIP(options.host) ? {} : { servername: options.host }),
  });
  try {
    const failed = await step(timeoutMs, (ok, fail) => {
      secure.once('secureConnect', ok).once('error', fail);
      secure.once('close', () => fail(new Error('connection closed during the TLS handshake')));
    });
    if (failed)
      return {
        stage: 'tls',
        answer,
        ...failed,
        failure: failed.failure === 'timeout' ? 'timeout' : 'tls-failed',
      };
    const cert = secure.getPeerCertificate();
    return {
      stage: 'done',
      answer,
      tls: {
        protocol: secure.getProtocol(),
        thumbprint: cert.fingerprint.replaceAll(':', '').toUpperCase(),
        subject: formatName(cert.subject),
        issuer: formatName(cert.issuer),
        validFrom: new Date(cert.valid_from).toISOString(),
        validTo: new Date(cert.valid_to).toISOString(),
        ...(cert.subjectaltname ? { subjectAltName: cert.subjectaltname } : {}),
      },
    };
  } finally {
    secure.destroy();
  }
}

type StepFailure = { failure: ProbeResult['failure']; message: string };

/** Waits for one stage; resolves undefined on success, or the failure named as a probe would. */
function step(
  timeoutMs: number,
  start: (ok: () => void, fail: (error: Error) => void) => void,
): Promise<StepFailure | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(
      () => finish({ failure: 'timeout', message: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    const finish = (value: StepFailure | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    start(
      () => finish(undefined),
      (error) => {
        const code = (error as NodeJS.ErrnoException).code;
        const failure = code === 'ECONNREFUSED' ? 'refused' : code === 'ETIMEDOUT' ? 'timeout' : 'closed';
        finish({ failure, message: error.message });
      },
    );
  });
}

function formatName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}
