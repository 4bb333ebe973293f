/**
 * The first packets of an RDP connection (MS-RDPBCGR 2.2.1.1 / 2.2.1.2): the client's X.224
 * Connection Request with an optional RDP Negotiation Request, and the server's Connection Confirm
 * with a Negotiation Response or Failure. TPKT lengths are big-endian, RDP_NEG_* fields little-endian.
 */

/** requestedProtocols / selectedProtocol bits (2.2.1.1.1). PROTOCOL_RDP is the absence of bits. */
export const PROTOCOL = {
  rdp: 0x0,
  ssl: 0x1,
  hybrid: 0x2,
  rdstls: 0x4,
  hybridEx: 0x8,
  rdsaad: 0x10,
} as const;

/** RDP_NEG_FAILURE failureCode values (2.2.1.2.2). */
export const NEG_FAILURE = {
  sslRequiredByServer: 0x1,
  sslNotAllowedByServer: 0x2,
  sslCertNotOnServer: 0x3,
  inconsistentFlags: 0x4,
  hybridRequiredByServer: 0x5,
  sslWithUserAuthRequiredByServer: 0x6,
} as const;

/** The spec's names for failure codes, for messages. */
export const NEG_FAILURE_NAMES: Record<number, string> = {
  1: 'SSL_REQUIRED_BY_SERVER',
  2: 'SSL_NOT_ALLOWED_BY_SERVER',
  3: 'SSL_CERT_NOT_ON_SERVER',
  4: 'INCONSISTENT_FLAGS',
  5: 'HYBRID_REQUIRED_BY_SERVER',
  6: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
};

/** Flags Windows sets in its RDP_NEG_RSP (extended client data, GFX, reserved, restricted admin, redirected auth). */
export const WINDOWS_NEG_RSP_FLAGS = 0x1f;

/** What the server answers in the Connection Confirm. */
export type NegotiationAnswer =
  | { kind: 'response'; selectedProtocol: number; flags: number }
  | { kind: 'failure'; failureCode: number }
  /** A legacy confirm without negotiation data (the client sent no RDP_NEG_REQ). */
  | { kind: 'legacy' };

/** A parsed X.224 Connection Request. */
export interface ConnectionRequest {
  /** Undefined when the request carried no RDP_NEG_REQ (a legacy client). */
  requestedProtocols?: number;
  negFlags?: number;
  cookie?: string;
}

/** Builds a Connection Request; `requestedProtocols` undefined sends no negotiation data. */
export function encodeConnectionRequest(requestedProtocols: number | undefined, cookie?: string): Buffer {
  const cookieBytes =
    cookie === undefined ? Buffer.alloc(0) : Buffer.from(`Cookie: mstshash=${cookie}\r\n`, 'ascii');
  const neg = Buffer.alloc(requestedProtocols === undefined ? 0 : 8);
  if (requestedProtocols !== undefined) {
    neg.writeUInt8(0x01, 0);
    neg.writeUInt16LE(8, 2);
    neg.writeUInt32LE(requestedProtocols >>> 0, 4);
  }
  const total = 11 + cookieBytes.length + neg.length;
  const head = Buffer.from([0x03, 0x00, total >> 8, total & 0xff, total - 5, 0xe0, 0, 0, 0, 0, 0]);
  return Buffer.concat([head, cookieBytes, neg]);
}

/** Builds the server's Connection Confirm for an answer. */
export function encodeConnectionConfirm(answer: NegotiationAnswer): Buffer {
  const total = answer.kind === 'legacy' ? 11 : 19;
  const packet = Buffer.alloc(total);
  packet.set([0x03, 0x00, total >> 8, total & 0xff, total - 5, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00]);
  if (answer.kind === 'response') {
    packet.set([0x02, answer.flags & 0xff], 11);
    packet.writeUInt16LE(8, 13);
    packet.writeUInt32LE(answer.selectedProtocol >>> 0, 15);
  } else if (answer.kind === 'failure') {
    packet.set([0x03, 0x00], 11);
    packet.writeUInt16LE(8, 13);
    packet.writeUInt32LE(answer.failureCode >>> 0, 15);
  }
  return packet;
}

/** Length of the TPKT at the start of `data`, or undefined until its 4-byte header has arrived. */
export function readTpktLength(data: Buffer): number | undefined {
  if (data.length < 4) return undefined;
  if (data[0] !== 0x03) throw new Error(`not a TPKT packet: first byte 0x${hex(data[0])}, expected 0x03`);
  return data.readUInt16BE(2);
}

/** Parses a whole Connection Request TPKT (as the server receives it). */
export function decodeConnectionRequest(packet: Buffer): ConnectionRequest {
  if (packet.length < 11 || readTpktLength(packet) !== packet.length) {
    throw new Error(`X.224 Connection Request too short or inconsistent (${packet.length} bytes)`);
  }
  if (((packet[5] ?? 0) & 0xf0) !== 0xe0) throw new Error(`not an X.224 CR TPDU: 0x${hex(packet[5])}`);
  let rest = packet.subarray(11);
  const request: ConnectionRequest = {};
  const crlf = rest.indexOf('\r\n');
  if (rest.subarray(0, 8).toString('ascii') === 'Cookie: ' && crlf >= 0) {
    request.cookie = rest
      .subarray(0, crlf)
      .toString('ascii')
      .replace(/^Cookie: (mstshash=)?/, '');
    rest = rest.subarray(crlf + 2);
  } else if (rest.length > 8 && crlf >= 0 && rest[0] !== 0x01) {
    rest = rest.subarray(crlf + 2);
  }
  if (rest.length >= 8 && rest[0] === 0x01) {
    request.negFlags = rest[1] ?? 0;
    request.requestedProtocols = rest.readUInt32LE(4);
  }
  return request;
}

/** Parses a whole Connection Confirm TPKT (as the client receives it). */
export function decodeConnectionConfirm(packet: Buffer): NegotiationAnswer {
  if (packet.length < 11 || ((packet[5] ?? 0) & 0xf0) !== 0xd0) {
    throw new Error(
      `not an X.224 Connection Confirm (TPDU code 0x${hex(packet[5])}, ${packet.length} bytes)`,
    );
  }
  if (packet.length < 19) return { kind: 'legacy' };
  const type = packet[11];
  const value = packet.readUInt32LE(15);
  if (type === 0x02) return { kind: 'response', selectedProtocol: value, flags: packet[12] ?? 0 };
  if (type === 0x03) return { kind: 'failure', failureCode: value };
  throw new Error(`unknown negotiation type 0x${hex(type)} in the Connection Confirm`);
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}
