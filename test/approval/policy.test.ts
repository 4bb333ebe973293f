import { describe, expect, it } from 'vitest';
import type { Approval } from '../../src/approval/approval-format.js';
import {
  checkApprovedSteps,
  checkParamValues,
  checkTargets,
  fillFixedParams,
  parseParamPolicy,
} from '../../src/approval/policy.js';
import { parseExpiry } from '../../src/approval/validity.js';

function approvalWith(policy: Partial<Approval['policy']>): Approval {
  return {
    policy: { fixSteps: [], maxRisk: 'medium', targets: [], params: {}, ...policy },
  } as unknown as Approval;
}

describe('param policy', () => {
  it('parses fixed values, patterns and a fixed value that starts with ~', () => {
    expect(parseParamPolicy(['A=x=1', 'B=~srv\\d+', 'C=\\~home'])).toEqual({
      A: { equals: 'x=1' },
      B: { matches: 'srv\\d+' },
      C: { equals: '~home' },
    });
    expect(() => parseParamPolicy(['B=~('])).toThrow(/--param B/);
  });

  const declared = {
    Port: { default: 3389 },
    Host: {},
    Mode: { default: 'strict' },
    Token: { secret: true },
  };

  it('fills in a fixed value only for a param the run did not set', () => {
    const approval = approvalWith({ params: { Port: { equals: '3390' }, Mode: { equals: 'audit' } } });
    expect(fillFixedParams(approval, { Mode: 'x' }, new Set(['Mode']))).toEqual({
      Mode: 'x',
      Port: '3390',
    });
    expect(fillFixedParams(approval, {}, new Set(['Port']))).toEqual({
      Mode: 'audit',
    });
  });

  it('lets approved values through and unlisted params at their default', () => {
    const approval = approvalWith({ params: { Port: { equals: '3389' }, Host: { matches: 'srv\\d+' } } });
    expect(() =>
      checkParamValues(approval, { Port: 3389, Host: 'srv01', Mode: 'strict' }, declared),
    ).not.toThrow();
  });

  it.each([
    [{ Port: 3389, Host: 'srv01.evil' }, 'Host', /matching/],
    [{ Port: 22, Host: 'srv1' }, 'Port', /exactly "3389"/],
    [
      { Port: 3389, Host: 'srv1', Mode: 'lax' },
      'Mode',
      /not in the approval, so only its playbook default \("strict"\)/,
    ],
    [{ Port: 3389, Host: 'srv1', Token: 'hunter2' }, 'Token', /Token=\(secret\)/],
  ])('refuses %j naming the param and what is allowed', (effective, param, message) => {
    const approval = approvalWith({ params: { Port: { equals: '3389' }, Host: { matches: 'srv\\d+' } } });
    const attempt = () => checkParamValues(approval, effective, declared);
    expect(attempt).toThrow(
      expect.objectContaining({
        reason: 'param-outside-policy',
        details: expect.objectContaining({ param }),
      }),
    );
    expect(attempt).toThrow(message);
    expect(attempt).not.toThrow(/hunter2/);
  });
});

describe('targets and steps', () => {
  it('allows hosts by case-insensitive pattern and names a host outside it', () => {
    const approval = approvalWith({ targets: ['SRV01', '*.lab.example'] });
    expect(() => checkTargets(approval, ['srv01', 'a.LAB.example'])).not.toThrow();
    expect(() => checkTargets(approval, ['srv02'])).toThrow(
      expect.objectContaining({ reason: 'target-not-allowed', message: expect.stringContaining('srv02') }),
    );
  });

  it('refuses an approved step riskier than the approved maximum', () => {
    const approval = approvalWith({ fixSteps: ['a', 'b'], maxRisk: 'medium' });
    expect(() =>
      checkApprovedSteps(approval, [
        { id: 'a', risk: 'low' },
        { id: 'b', risk: 'high' },
      ]),
    ).toThrow(
      expect.objectContaining({
        reason: 'step-above-max-risk',
        details: expect.objectContaining({ step: 'b' }),
      }),
    );
  });
});

describe('parseExpiry', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  it.each([
    ['30d', '2030-01-31T00:00:00.000Z'],
    ['12h', '2030-01-01T12:00:00.000Z'],
    ['2w', '2030-01-15T00:00:00.000Z'],
    ['2030-02-01', '2030-02-01T00:00:00.000Z'],
  ])('reads %s', (spec, iso) => expect(parseExpiry(spec, now).toISOString()).toBe(iso));
  it('refuses a time in the past and nonsense', () => {
    expect(() => parseExpiry('2029-01-01', now)).toThrow(/not in the future/);
    expect(() => parseExpiry('soon', now)).toThrow(/duration/);
  });
});
