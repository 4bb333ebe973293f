/**
 * The append-only run journal. Records that precede or record a change are fsync'd before the
 * change happens; the rest are written in order and flushed by the next fsync.
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../core/errors.js';
import { JOURNAL_VERSION, type JournalRecord, type NewJournalRecord } from './journal-records.js';
import { findTornTail, sealTornTail } from './journal-tail.js';

/** Record types that must be on disk before the engine goes on. */
const DURABLE = new Set<JournalRecord['type']>([
  'run-start',
  'run-resume',
  'approval',
  'decision',
  'intent',
  'applied',
  'apply-failed',
  'verify',
  'rollback-start',
  'undo-start',
  'undo-end',
  'rollback-end',
  'run-end',
  'run-forgotten',
]);

/** An open journal file that records are appended to. */
export class Journal {
  private seq: number;
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    lastSeq: number,
  ) {
    this.seq = lastSeq;
    this.fd = openSync(path, 'a');
  }

  /** Creates a new journal file (and its folder), readable by its owner only; fails if it exists. */
  static create(path: string): Journal {
    // Owner-only, whatever the umask or an existing folder's mode: a journal holds hosts, params
    // and script output (secrets masked, but still private).
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(dirname(path), 0o700);
    closeSync(openSync(path, 'wx', 0o600));
    syncDirectory(dirname(path));
    return new Journal(path, 0);
  }

  /** Opens an existing journal to append to it (resume, rollback), sealing a torn last line first. */
  static reopen(path: string): Journal {
    sealTornTail(path);
    const records = readJournal(path);
    return new Journal(path, records.at(-1)?.seq ?? 0);
  }

  /** Appends one record; fsyncs it when it precedes or records a change. Returns the stamped record. */
  append<R extends NewJournalRecord>(record: R): JournalRecord {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is closed`);
    this.seq += 1;
    const stamped = { v: JOURNAL_VERSION, seq: this.seq, at: new Date().toISOString(), ...record };
    writeSync(this.fd, `${JSON.stringify(stamped)}\n`);
    if (DURABLE.has(record.type)) fsyncSync(this.fd);
    return stamped as JournalRecord;
  }

  /** Flushes and closes the file. */
  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Reads every whole record of a journal. A torn last line (a crash mid-write) is left out
 * (`tornTailBytes` says how long it is). A line that an older psremedy appended straight after a
 * torn one is read from where its record starts.
 */
export function readJournalFile(path: string): { records: JournalRecord[]; tornTailBytes: number } {
  const bytes = readFileSync(path);
  const tail = findTornTail(bytes);
  const whole =
    tail && !isRecordText(tail.toString('utf8')) ? bytes.subarray(0, bytes.length - tail.length) : bytes;
  const records: JournalRecord[] = [];
  for (const [index, line] of whole.toString('utf8').split('\n').entries()) {
    if (line.trim() === '') continue;
    const record = parseRecord(line) ?? parseRecord(line.slice(line.lastIndexOf(RECORD_START)));
    if (!record)
      throw new UsageError(
        `${path}:${index + 1} is not a journal record; the journal was changed by something other than psremedy`,
      );
    records.push(record);
  }
  return { records, tornTailBytes: whole === bytes ? 0 : (tail?.length ?? 0) };
}

/** Every whole record of a journal (see readJournalFile). */
export function readJournal(path: string): JournalRecord[] {
  return readJournalFile(path).records;
}

// Every record starts with its format version (journal-records.ts).
const RECORD_START = '{"v":';

function parseRecord(line: string): JournalRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JournalRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

function isRecordText(text: string): boolean {
  return parseRecord(text) !== undefined;
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
