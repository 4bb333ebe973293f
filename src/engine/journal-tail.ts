/**
 * A crash mid-append leaves a journal whose last line is cut off. Before anything appends again,
 * the torn tail is moved aside (kept, next to the journal) so the next record starts a fresh line.
 */
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** What sealing a torn journal did: how many bytes were cut off and where they were kept. */
export interface SealedTail {
  journalPath: string;
  bytes: number;
  /** The file (next to the journal) that now holds the partial record. */
  savedTo: string;
}

const NEWLINE = 0x0a;

/** The bytes after the journal's last newline, or undefined when it ends with a whole line. */
export function findTornTail(bytes: Buffer): Buffer | undefined {
  if (bytes.length === 0 || bytes[bytes.length - 1] === NEWLINE) return undefined;
  return bytes.subarray(bytes.lastIndexOf(NEWLINE) + 1);
}

/** True when the tail is a whole record that only lacks its newline (the crash came just before it). */
export function isWholeRecord(tail: Buffer): boolean {
  try {
    const value: unknown = JSON.parse(tail.toString('utf8'));
    return typeof value === 'object' && value !== null && 'seq' in value && 'type' in value;
  } catch {
    return false;
  }
}

/**
 * Makes the journal end with a whole line: a whole last record gets its newline; a partial one is
 * written to `journal.torn-<time>.jsonl` next to the journal and cut off. Returns what was cut.
 */
export function sealTornTail(journalPath: string, now = new Date()): SealedTail | undefined {
  const bytes = readFileSync(journalPath);
  const tail = findTornTail(bytes);
  if (!tail) return undefined;
  const fd = openSync(journalPath, 'r+');
  try {
    if (isWholeRecord(tail)) {
      writeSync(fd, '\n', bytes.length);
      fsyncSync(fd);
      return undefined;
    }
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const savedTo = join(dirname(journalPath), `${basename(journalPath, '.jsonl')}.torn-${stamp}.jsonl`);
    writeFileSync(savedTo, tail, { mode: 0o600, flag: 'a' });
    ftruncateSync(fd, bytes.length - tail.length);
    fsyncSync(fd);
    return { journalPath, bytes: tail.length, savedTo };
  } finally {
    closeSync(fd);
  }
}
