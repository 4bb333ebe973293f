/** A reporter turns engine events into output: listr2 on a TTY, plain lines, or NDJSON. */
import type { EventSink } from '../engine/events.js';

/** Subscribes to engine events; `finish` waits until everything is written. */
export interface Reporter {
  onEvent: EventSink;
  finish(): Promise<void>;
}
