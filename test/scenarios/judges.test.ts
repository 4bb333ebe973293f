/** The verdicts of `psremedy test`, judged from run data alone (no PowerShell). */
import { describe, expect, it } from 'vitest';
import type { RankedCause } from '../../src/engine/journal-records.js';
import { splitVolatile } from '../../src/scenario-test/compare-host-files.js';
import { judgeAgreement } from '../../src/scenario-test/judge-agreement.js';
import { judgeDiagnosis } from '../../src/scenario-test/judge-diagnosis.js';
import { judgeRepair, type Rediagnosis, type RepairRun } from '../../src/scenario-test/judge-repair.js';
import { judgeRollback } from '../../src/scenario-test/judge-rollback.js';

const cause = (id: string, confidence: number, evidence = `${id} seen by the check`): RankedCause => ({
  cause: id,
  title: id,
  confidence,
  agreeing: 1,
  detected: confidence >= 0.5,
  evidence: evidence ? [{ stepId: 'check', confidence, evidence }] : [],
});
const fixedRun: RepairRun = { outcome: 'changed', fixed: ['open_firewall'], remaining: [], problems: [] };
const cleanAfter: Rediagnosis = {
  outcome: 'ok',
  detected: [],
  problems: [],
  probes: [{ stepId: 'handshake', succeeded: true }],
};

describe('diagnosis verdict', () => {
  it.each([
    [
      'the planted cause ranked first',
      ['firewall-closed'],
      [cause('firewall-closed', 0.97), cause('nla-mismatch', 0.1)],
      true,
      /top cause firewall-closed 97%/,
    ],
    [
      'another cause ranked above the planted one',
      ['firewall-closed'],
      [cause('adapter-down', 0.8), cause('firewall-closed', 0.7)],
      false,
      /top cause is adapter-down 80%, expected firewall-closed/,
    ],
    [
      'the planted cause found but below the detection threshold',
      ['cert-expired'],
      [cause('cert-expired', 0.4)],
      false,
      /no cause detected; expected cert-expired/,
    ],
    [
      'one cause of a combination not detected',
      ['rdp-disabled', 'firewall-closed'],
      [cause('rdp-disabled', 0.95), cause('firewall-closed', 0.3)],
      false,
      /not detected: firewall-closed 30%/,
    ],
    [
      'both causes of a combination detected, either one first',
      ['rdp-disabled', 'firewall-closed'],
      [cause('firewall-closed', 0.9), cause('rdp-disabled', 0.85)],
      true,
      /also detected rdp-disabled 85%/,
    ],
    [
      'the planted cause detected without readable evidence',
      ['firewall-closed'],
      [cause('firewall-closed', 0.97, '')],
      false,
      /detected without evidence a person can read: firewall-closed/,
    ],
    ['a healthy host with nothing detected', [], [cause('nla-mismatch', 0.1)], true, /healthy host/],
    [
      'a healthy host with a false alarm',
      [],
      [cause('dns-mismatch', 0.6)],
      false,
      /a healthy host, but detected dns-mismatch 60%/,
    ],
  ])('%s', (_title, expected, ranked, passed, reason) => {
    const verdict = judgeDiagnosis(expected, ranked);
    expect(verdict.passed).toBe(passed);
    expect(verdict.reason).toMatch(reason);
  });

  it('passes with an extra detected cause but names it and the diagnose steps that failed', () => {
    const verdict = judgeDiagnosis(
      ['adapter-down'],
      [cause('adapter-down', 0.9), cause('port-unreachable', 0.55)],
      [{ stepId: 'listener', status: 'failed', reason: 'connection lost' }],
    );
    expect(verdict.passed).toBe(true);
    expect(verdict.details).toEqual([
      'step listener failed: connection lost',
      'also detected: port-unreachable 55%',
    ]);
  });
});

describe('repair verdict', () => {
  const firewall = { expected: ['firewall-closed'], unfixable: [] };
  const healthy = { expected: [], unfixable: [] };

  it('passes a fixed run whose re-diagnosis is clean and whose probe succeeded', () => {
    const verdict = judgeRepair(firewall, fixedRun, cleanAfter);
    expect(verdict).toMatchObject({ passed: true });
    expect(verdict.reason).toBe(
      'fixed by open_firewall; re-diagnosis finds no cause; handshake probe succeeded',
    );
  });

  it.each([
    [
      'the run rolled itself back',
      { ...fixedRun, outcome: 'rolledBack' as const },
      cleanAfter,
      /the run ended rolledBack/,
    ],
    [
      'a cause remains after the run',
      { ...fixedRun, outcome: 'problemsRemain' as const, remaining: ['cert-expired'] },
      cleanAfter,
      /causes remain after the run: cert-expired/,
    ],
    [
      'the re-diagnosis still detects a cause',
      fixedRun,
      { ...cleanAfter, detected: [cause('tls-disabled', 0.8)] },
      /re-diagnosis still detects tls-disabled 80%/,
    ],
    [
      'a re-diagnosis step failed',
      fixedRun,
      { ...cleanAfter, problems: [{ stepId: 'listener', status: 'timedOut' }] },
      /re-diagnosis step listener timedOut/,
    ],
    [
      'the handshake probe failed',
      fixedRun,
      { ...cleanAfter, probes: [{ stepId: 'handshake', succeeded: false, detail: 'stage tls' }] },
      /handshake probe failed: stage tls/,
    ],
    ['there was no re-diagnosis', fixedRun, undefined, /no re-diagnosis/],
  ])('fails when %s', (_title, run, after, reason) => {
    const verdict = judgeRepair(firewall, run, after);
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });

  it('fails a healthy host that the run changed, and passes one left alone', () => {
    expect(judgeRepair(healthy, fixedRun, cleanAfter)).toMatchObject({
      passed: false,
      reason: 'a healthy host, but the run ended changed after changing open_firewall',
    });
    expect(judgeRepair(healthy, { ...fixedRun, outcome: 'ok', fixed: [] }, cleanAfter)).toMatchObject({
      passed: true,
    });
  });
});

describe('repair verdict for a cause the playbook has no fix for', () => {
  const dns = { expected: ['dns-mismatch'], unfixable: ['dns-mismatch'] };
  const left: RepairRun = { outcome: 'problemsRemain', fixed: [], remaining: ['dns-mismatch'], problems: [] };
  const stillThere: Rediagnosis = {
    outcome: 'problemsRemain',
    detected: [cause('dns-mismatch', 0.62)],
    problems: [],
    probes: [{ stepId: 'handshake', succeeded: false, detail: 'stage tcp' }],
  };

  it('passes when the cause is reported as remaining and nothing else is wrong', () => {
    const verdict = judgeRepair(dns, left, stillThere);
    expect(verdict.passed).toBe(true);
    expect(verdict.reason).toBe(
      'nothing changed; re-diagnosis finds only dns-mismatch; dns-mismatch: no fix step in the playbook or its fix declines, reported as remaining',
    );
  });

  it('fails when a fixable cause planted with it remains', () => {
    const both = { expected: ['dns-mismatch', 'firewall-closed'], unfixable: ['dns-mismatch'] };
    const verdict = judgeRepair(
      both,
      { ...left, remaining: ['dns-mismatch', 'firewall-closed'] },
      {
        ...stillThere,
        detected: [cause('dns-mismatch', 0.62), cause('firewall-closed', 0.9)],
      },
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(/causes remain after the run: dns-mismatch, firewall-closed/);
    expect(verdict.reason).toMatch(/re-diagnosis still detects firewall-closed 90%/);
  });

  it('fails when the re-diagnosis no longer sees the cause nothing fixed', () => {
    const verdict = judgeRepair(dns, left, { ...stillThere, detected: [] });
    expect(verdict).toMatchObject({
      passed: false,
      reason: 're-diagnosis no longer detects dns-mismatch, which nothing fixed',
    });
  });
});

describe('rollback verdict', () => {
  const equal = [{ host: 'SRV01', differences: [], ignored: [] }];

  it('passes an exact restore and says how many appended events it ignored', () => {
    const comparison = splitVolatile('SRV01', [
      { path: 'events[7]', kind: 'added', after: { id: 7036 } },
      { path: 'events[8]', kind: 'added', after: { id: 7036 } },
    ]);
    expect(judgeRollback('rolledBack', true, [comparison])).toMatchObject({
      passed: true,
      reason: 'rolled back; state equal to the start (ignored: 2 appended events)',
    });
  });

  it('counts a removed or changed event, a new certificate store and the clock as differences', () => {
    const comparison = splitVolatile('SRV01', [
      { path: 'events[3]', kind: 'removed', before: { id: 36870 } },
      { path: 'events[4].message', kind: 'changed', before: 'a', after: 'b' },
      { path: 'certificates[PSRemedyBackup]', kind: 'added', after: [] },
      { path: 'clock', kind: 'changed', before: '2026-01-01T00:00:00Z', after: '2026-01-02T00:00:00Z' },
    ]);
    expect(comparison.ignored).toEqual([]);
    const verdict = judgeRollback('rolledBack', true, [comparison]);
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toBe('state differs from the start in 4 places');
    expect(verdict.details).toContain('+ certificates[PSRemedyBackup]: []');
  });

  it.each([
    ['revertUnverified' as const, true, /rollback ended revertUnverified/],
    ['nothing' as const, true, /found nothing to undo, but the run changed the host/],
    [{ error: 'no run x' }, true, /rollback threw: no run x/],
  ])('fails when rollback returns %j', (status, changed, reason) => {
    const verdict = judgeRollback(status, changed, equal);
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });

  it('passes a run that changed nothing when the state is untouched', () => {
    expect(judgeRollback('nothing', false, equal)).toMatchObject({
      passed: true,
      reason: 'nothing to undo; state equal to the start',
    });
  });
});

describe('one judgement per cause', () => {
  const steps = [
    { id: 'enable_rdp', fixes: ['rdp-disabled'] },
    { id: 'open_firewall', fixes: ['firewall-closed'] },
    { id: 'open_firewall_again', fixes: ['firewall-closed'] },
  ];

  it('names a detected cause whose first fix test says compliant before anything changed', () => {
    const answers = [{ stepId: 'open_firewall', compliant: true, afterChange: false }];
    expect(judgeAgreement([cause('firewall-closed', 0.94)], steps, answers)).toEqual([
      'the diagnosis detects firewall-closed, but the test of its fix open_firewall says compliant',
    ]);
  });

  it.each([
    ['the fix test says not compliant', [{ stepId: 'open_firewall', compliant: false, afterChange: false }]],
    [
      'an earlier fix changed the host first',
      [{ stepId: 'open_firewall', compliant: true, afterChange: true }],
    ],
    [
      'only a later fix for the cause says compliant',
      [{ stepId: 'open_firewall_again', compliant: true, afterChange: false }],
    ],
  ])('accepts it when %s', (_what, answers) => {
    expect(judgeAgreement([cause('firewall-closed', 0.94)], steps, answers)).toEqual([]);
  });

  it('ignores causes below the detection threshold', () => {
    const answers = [{ stepId: 'open_firewall', compliant: true, afterChange: false }];
    expect(judgeAgreement([cause('firewall-closed', 0.3)], steps, answers)).toEqual([]);
  });
});
