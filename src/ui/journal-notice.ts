/** Words for what psremedy did to a journal whose last line a crash cut off. */
import type { SealedTail } from '../engine/journal-tail.js';

/** Says that a torn last record was set aside, where, and that the journal goes on from a fresh line. */
export function describeSealedTail(sealed: SealedTail): string {
  return (
    `note: the last record of ${sealed.journalPath} was cut off mid-write (${sealed.bytes} bytes, a crash); ` +
    `it was moved to ${sealed.savedTo} and the journal goes on from a fresh line`
  );
}

/** Says that a report or listing left out a torn last record. */
export function describeTornTail(journalPath: string, bytes: number): string {
  return `note: the last record of ${journalPath} was cut off mid-write (${bytes} bytes, a crash) and is left out; psremedy rollback or resume sets it aside`;
}
