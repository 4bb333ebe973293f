/**
 * The append-only run journal. Records that precede or record a change are fsync'd before the
 * change happens; the rest are written in order and flushed by the next fsync.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { JOURNAL_VERSION, type JournalRecord, type NewJournalRecord } from './journal-records.js';

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

  /** Creates a new journal file (and its folder); fails if it exists. */
  static create(path: string): Journal {
    // Owner-only: a journal holds host state and params (never secrets, but still private).
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'wx', 0o600));
    syncDirectory(dirname(path));
    return new Journal(path, 0);
  }

  /** Opens an existing journal to append to it (resume, rollback). */
  static reopen(path: string): Journal {
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

/** Reads every whole record of a journal; a torn last line (a crash mid-write) is ignored. */
export function readJournal(path: string): JournalRecord[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const records: JournalRecord[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch (error) {
      if (index >= lines.length - 2) break;
      throw new Error(`${path}:${index + 1}: not a journal record (${(error as Error).message})`);
    }
  }
  return records;
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
