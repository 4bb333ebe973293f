import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/approval/canonical-json.js';

describe('canonicalize', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalize({ b: [{ z: 1, a: true }], a: null, c: 'x' })).toBe(
      '{"a":null,"b":[{"a":true,"z":1}],"c":"x"}',
    );
  });

  it('orders keys by UTF-16 code units as RFC 8785 does', () => {
    // RFC 8785 3.2.3: "\u20ac" (euro) sorts before "\ud83d\ude00" (emoji) and after "\r" and "1".
    const keys = ['\u20ac', '\r', '\ud83d\ude00', '1', '\u0080', '\u00f6', '\ufb33'];
    const text = canonicalize(Object.fromEntries(keys.map((k) => [k, 0])));
    const expected = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    expect(text).toBe(`{${expected.map((k) => `${JSON.stringify(k)}:0`).join(',')}}`);
  });

  it('leaves out undefined members and refuses numbers JSON cannot hold', () => {
    expect(canonicalize({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(() => canonicalize({ n: Number.NaN })).toThrow(/NaN/);
  });
});
