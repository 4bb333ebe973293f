/** `--output ndjson`: one JSON event per line, as documented by schema/events.schema.json. */
import type { Reporter } from './reporter.js';

/** Writes each engine event as one line of JSON. */
export function createNdjsonReporter(write: (line: string) => void): Reporter {
  return {
    onEvent: (event) => write(JSON.stringify(event)),
    finish: async () => {},
  };
}
