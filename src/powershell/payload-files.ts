import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPayloadFileArgument } from './wire.js';

/** Payloads above this many characters travel in a file instead of on the command line. */
export const INLINE_PAYLOAD_LIMIT = 64 * 1024;

/** A payload as the command line names it, and how to clean up after the request. */
export interface PlacedPayload {
  argument: string;
  cleanup: () => void;
}

/**
 * Large request payloads in a private folder (0700, files 0600): PowerShell's console host reads a
 * long stdin line slowly and keeps every distinct line it ran, so a 1 MB parameter stays off the line.
 */
export class PayloadFiles {
  private dir: string | undefined;

  /** The payload itself when small, else the argument naming a file the envelope reads and deletes. */
  place(id: string, payload: string): PlacedPayload {
    if (payload.length <= INLINE_PAYLOAD_LIMIT) return { argument: payload, cleanup: () => undefined };
    this.dir ??= mkdtempSync(join(tmpdir(), 'psremedy-payload-'));
    const path = join(this.dir, `${id}.b64`);
    writeFileSync(path, payload, { encoding: 'ascii', mode: 0o600 });
    return {
      argument: buildPayloadFileArgument(path),
      cleanup: () => {
        try {
          unlinkSync(path);
        } catch {
          // The envelope already deleted it.
        }
      },
    };
  }

  /** Removes the folder and anything left in it. */
  removeAll(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
