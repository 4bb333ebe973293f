import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { EngineEventSchema, formatEventsJsonSchema } from '../../src/engine/events.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { createColors } from '../../src/ui/colors.js';
import { createNdjsonReporter } from '../../src/ui/ndjson-reporter.js';
import { createPlainReporter } from '../../src/ui/plain-reporter.js';
import { memoryRun } from '../engine/support/settings-fixture.js';

let stateDir: string;
const events: EngineEvent[] = [];
beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'psremedy-ui-'));
  // One run that does everything once: diagnose, fix, a failure, a rollback with a revertUnverified.
  const r = memoryRun(
    { a: 1, b: 2, c: 3 },
    { stateDir, faults: { b: { undoDoesNothing: true }, c: { applyFails: true } } },
  );
  r.world.state = { a: 0, b: 0, c: 0 };
  await runPlaybook({
    ...r.runOptions,
    mode: { interactive: false, yes: true, diff: true },
    onEvent: (e) => events.push(e),
  });
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('run reporters', () => {
  it('writes one JSON event per line that the committed JSON Schema describes', () => {
    const lines: string[] = [];
    const reporter = createNdjsonReporter((l) => lines.push(l));
    for (const e of events) reporter.onEvent(e);
    expect(lines).toHaveLength(events.length);
    for (const line of lines) expect(EngineEventSchema.safeParse(JSON.parse(line)).error).toBeUndefined();
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'run.start',
        'step.start',
        'step.progress',
        'step.end',
        'step.diff',
        'causes.ranked',
        'cause.recheck',
        'prompt.answered',
        'rollback.start',
        'rollback.step',
        'rollback.end',
        'summary',
      ]),
    );
  });

  it('keeps schema/events.schema.json in step with the event schema', () => {
    const committed = readFileSync(new URL('../../schema/events.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(formatEventsJsonSchema());
  });

  it('prints plain lines: the ranked causes, each step, the loud revertUnverified and the summary', () => {
    const lines: string[] = [];
    const reporter = createPlainReporter((l) => lines.push(l), createColors({ isTTY: false }));
    for (const e of events) reporter.onEvent(e);
    const text = lines.join('\n');
    expect(text).toContain('causes, most likely first:');
    expect(text).toMatch(/1\. a is wrong \[a-wrong\] 90%, 1 finding, detected/);
    expect(text).toMatch(/fix_c \(Set c\) FAILED: apply failed: cannot set c/);
    expect(text).toMatch(/undo fix_b: REVERT UNVERIFIED/);
    expect(text).toMatch(/expected: \{"value":0\}\n.*found: +\{"value":2\}/);
    expect(text).toMatch(/^⚠ diag \(Look at the settings\) found: a-wrong 90%, b-wrong 90%, c-wrong 90%/m);
    expect(text).toMatch(/^✎ fix_a \(Set a\) changed/m);
    expect(text).toMatch(/^ {2}fix_a: value: 0 -> 1$/m);
    expect(text).not.toContain('before: {');
    expect(text).toMatch(/^✖ fix_c \(Set c\) FAILED: apply failed: cannot set c/m);
    expect(text).toMatch(/^summary: settings on this computer: problems remain$/m);
    expect(text).toMatch(/⚠ a-wrong 90% +remains: fix_a was rolled back: a step failed/);
    expect(text).toMatch(
      /⚠ b-wrong 90% +remains: fix_b was applied and its undo is not verified\n +next: check fix_b by hand/,
    );
    expect(text).toMatch(/⚠ c-wrong 90% +remains: fix_c failed: cannot set c/);
    expect(text).toMatch(
      /✖ fix_b: REVERT UNVERIFIED\n +undo: undone, but the state differs from before: check by hand/,
    );
    expect(text).toMatch(
      /steps: ok 1, changed 0, skipped 0, failed 1,\s+rolled\s+back\s+1,\s+REVERT\s+UNVERIFIED\s+1/,
    );
    expect(text).toMatch(/^exit 1: problems remain \(a cause not fixed, or a step failed\)$/m);
    expect(text).not.toContain('\u001b[');
  });

  it('uses no colour when NO_COLOR is set, even on a TTY', () => {
    expect(createColors({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(createColors({ isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(createColors({ isTTY: false }, {}).red('x')).toBe('x');
  });
});
