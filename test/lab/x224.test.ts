import { describe, expect, it } from 'vitest';
import {
  decodeConnectionConfirm,
  decodeConnectionRequest,
  encodeConnectionConfirm,
  encodeConnectionRequest,
} from '../../src/lab/rdp/x224.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('X.224 packets (MS-RDPBCGR)', () => {
  it('encodes the spec example Connection Request with a cookie (4.1.1)', () => {
    const packet = encodeConnectionRequest(0, 'eltons');
    expect(packet).toEqual(
      Buffer.concat([
        hex('03 00 00 2c 27 e0 00 00 00 00 00'),
        Buffer.from('Cookie: mstshash=eltons\r\n'),
        hex('01 00 08 00 00 00 00 00'),
      ]),
    );
    expect(decodeConnectionRequest(packet)).toEqual({ cookie: 'eltons', negFlags: 0, requestedProtocols: 0 });
  });

  it('encodes the 19-byte TLS|CredSSP probe request and reads a legacy request without negotiation data', () => {
    expect(encodeConnectionRequest(3)).toEqual(
      hex('03 00 00 13 0E E0 00 00 00 00 00 01 00 08 00 03 00 00 00'),
    );
    expect(decodeConnectionRequest(encodeConnectionRequest(undefined))).toEqual({});
  });

  it('encodes the spec example Connection Confirm (4.1.2) and reads failures and legacy confirms', () => {
    const confirm = encodeConnectionConfirm({ kind: 'response', selectedProtocol: 0, flags: 0 });
    expect(confirm).toEqual(hex('03 00 00 13 0e d0 00 00 12 34 00 02 00 08 00 00 00 00 00'));
    expect(decodeConnectionConfirm(encodeConnectionConfirm({ kind: 'failure', failureCode: 5 }))).toEqual({
      kind: 'failure',
      failureCode: 5,
    });
    expect(decodeConnectionConfirm(encodeConnectionConfirm({ kind: 'legacy' }))).toEqual({ kind: 'legacy' });
  });

  it('rejects a request whose TPKT length does not match', () => {
    expect(() => decodeConnectionRequest(hex('03 00 00 20 0E E0 00 00 00 00 00'))).toThrow(/inconsistent/);
  });
});
