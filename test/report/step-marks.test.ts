import { describe, expect, it } from 'vitest';
import { STEP_STATUSES } from '../../src/core/step-status.js';
import { describeFindings, STEP_MARKS, verdictOf } from '../../src/report/step-marks.js';
import { createColors } from '../../src/ui/colors.js';
import { formatStepEnd } from '../../src/ui/messages.js';
import { createRunTracker } from '../../src/ui/run-tracker.js';

const plain = createColors({ isTTY: false });
const f = (cause: string, confidence: number) => ({ cause, confidence, evidence: `${cause} seen` });

describe('step marks', () => {
  it('has a mark for every step status, and one for a diagnose step that found a problem', () => {
    for (const status of STEP_STATUSES) expect(STEP_MARKS[status].symbol).toHaveLength(1);
    expect(STEP_MARKS.found.symbol).toBe('⚠');
  });

  it.each([
    ['a strong finding', [f('firewall-closed', 0.95)], 'found', 'found: firewall-closed 95%'],
    [
      'weak findings that together say something is wrong',
      [f('firewall-closed', 0.25), f('port-unreachable', 0.25), f('adapter-down', 0.2)],
      'found',
      'found a problem, cause unclear: firewall-closed 25%, port-unreachable 25%, adapter-down 20%',
    ],
    ['a weak hint only', [f('dns-mismatch', 0.05)], 'ok', 'no problem'],
    ['nothing', [], 'ok', 'no problem'],
  ])('marks a diagnose step with %s', (_name, findings, verdict, words) => {
    expect(verdictOf({ kind: 'diagnose', status: 'ok', findings })).toBe(verdict);
    expect(describeFindings(findings)).toBe(words);
  });

  it('shows the mark and what was found on the plain line', () => {
    const end = {
      type: 'step.end',
      stepId: 'firewall',
      kind: 'diagnose',
      phase: 'diagnose',
      status: 'ok',
      durationMs: 5,
    } as const;
    expect(formatStepEnd({ ...end, findings: [f('firewall-closed', 0.95)] }, 'Firewall?', plain)).toBe(
      '⚠ firewall (Firewall?) found: firewall-closed 95% 5 ms',
    );
    expect(formatStepEnd({ ...end, findings: [] }, 'Firewall?', plain)).toBe(
      '✔ firewall (Firewall?) no problem 5 ms',
    );
    expect(formatStepEnd({ ...end, kind: 'fix', status: 'changed' }, 'Open it', plain)).toBe(
      '✎ firewall (Open it) changed 5 ms',
    );
  });
});

describe('what Ctrl+C says', () => {
  const journalPath = '/srv/state/runs/R1/journal.jsonl';
  const start = { type: 'run.start', runId: 'R1', journalPath } as never;

  it('says nothing was changed during the diagnosis', () => {
    const t = createRunTracker({ keepsChanges: false });
    t.observe(start);
    t.observe({ type: 'step.start', stepId: 'tcp', title: 't', kind: 'diagnose', phase: 'diagnose' });
    expect(t.describeInterrupt(1)).toBe(
      'interrupted: stopping tcp; nothing was changed on the server, there is nothing to roll back',
    );
  });

  it('names the changes in place and the exact rollback command, with the state folder', () => {
    const t = createRunTracker({ keepsChanges: false });
    t.observe(start);
    t.observe({ type: 'step.start', stepId: 'open_firewall', title: 'o', kind: 'fix', phase: 'fix' });
    t.observe({ type: 'step.progress', stepId: 'open_firewall', activity: 'applying' });
    t.observe({
      type: 'step.end',
      stepId: 'open_firewall',
      kind: 'fix',
      phase: 'fix',
      status: 'changed',
      durationMs: 1,
    });
    t.observe({ type: 'step.start', stepId: 'renew', title: 'r', kind: 'fix', phase: 'fix' });
    t.observe({ type: 'step.progress', stepId: 'renew', activity: 'applying' });
    expect(t.describeInterrupt(1)).toBe(
      'interrupted: stopping renew and rolling back open_firewall, renew (being applied) (newest first); Ctrl+C again quits at once and leaves them for:\n  psremedy rollback R1 --state-dir /srv/state',
    );
    expect(t.describeInterrupt(2)).toBe(
      'quitting without finishing the rollback: the server may still have open_firewall, renew (being applied); undo with:\n  psremedy rollback R1 --state-dir /srv/state',
    );
    t.observe({
      type: 'step.end',
      stepId: 'renew',
      kind: 'fix',
      phase: 'fix',
      status: 'cancelled',
      durationMs: 1,
    });
    t.observe({ type: 'rollback.step', stepId: 'open_firewall', status: 'rolledBack' });
    expect(t.describeInterrupt(2)).toMatch(/may still have renew; undo with/);
  });

  it('names, for a resumed run, the changes its journal says are still in place', () => {
    const t = createRunTracker({ keepsChanges: false, inPlace: ['open_firewall'] });
    t.observe(start);
    expect(t.describeInterrupt(2)).toBe(
      'quitting without finishing the rollback: the server may still have open_firewall; undo with:\n  psremedy rollback R1 --state-dir /srv/state',
    );
  });
});
