/** Where the first byte that is not valid UTF-8 sits, as a 1-based line and column, with the byte. */
export interface InvalidUtf8 {
  line: number;
  col: number;
  byte: number;
}

/** Finds the first invalid UTF-8 sequence in `bytes` (a Latin-1 `é` is a lone 0xE9), or undefined. */
export function findInvalidUtf8(bytes: Uint8Array): InvalidUtf8 | undefined {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return positionOf(bytes, i);
    i += length;
  }
  return undefined;
}

// The length of the valid UTF-8 sequence starting at `i`, or 0 (RFC 3629: no overlongs, no surrogates).
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  if (b < 0x80) return 1;
  const [length, min, max] =
    b >= 0xc2 && b <= 0xdf
      ? [2, 0x80, 0xbf]
      : b === 0xe0
        ? [3, 0xa0, 0xbf]
        : b === 0xed
          ? [3, 0x80, 0x9f]
          : b >= 0xe1 && b <= 0xef
            ? [3, 0x80, 0xbf]
            : b === 0xf0
              ? [4, 0x90, 0xbf]
              : b === 0xf4
                ? [4, 0x80, 0x8f]
                : b >= 0xf1 && b <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : [0, 0, 0];
  if (length === 0) return 0;
  const second = bytes[i + 1];
  if (second === undefined || second < min || second > max) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k];
    if (next === undefined || next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

function positionOf(bytes: Uint8Array, offset: number): InvalidUtf8 {
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    // CR alone ends a line too (as the YAML reader counts them).
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, col, byte: bytes[offset] ?? 0 };
}
