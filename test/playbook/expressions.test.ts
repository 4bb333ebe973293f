// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is playbook expression syntax, not a JS template
import { describe, expect, it } from 'vitest';
import {
  type ExpressionContext,
  ExpressionError,
  evaluateCondition,
  evaluateTemplate,
  parseDuration,
} from '../../src/playbook/index.js';

const ctx: ExpressionContext = {
  params: { Port: 3389, Host: 'srv01', Force: true, Ratio: 0.5, Inject: '${{ params.Port }}' },
  steps: {
    tcp: { status: 'ok', result: { reachable: false, count: 2, items: [1, 2, 3], info: { name: 'x' } } },
  },
  causes: {
    'rule-off': { detected: true, confidence: 1 },
    'port-closed': { detected: false, confidence: 0 },
  },
};

describe('evaluateTemplate', () => {
  it.each([
    ['${{ params.Port }}', 3389],
    ['${{ params.Port + 1 }}', 3390],
    ['  ${{ params.Force }}  ', true],
    ['${{ params.Ratio * 2.0 }}', 1],
    ['${{ steps.tcp.result.count + 1 }}', 3],
    ['${{ steps.tcp.result.items }}', [1, 2, 3]],
    ['${{ steps.tcp.result.info }}', { name: 'x' }],
    ['${{ size(steps.tcp.result.items) }}', 3],
    ['${{ {"a": 1, "b": [true]} }}', { a: 1, b: [true] }],
    ['${{ "}}" }}', '}}'],
    ['${{ steps.tcp.result.?missing.orValue("none") }}', 'none'],
  ])('keeps the type of a string that is exactly one expression: %s', (template, expected) => {
    expect(evaluateTemplate(template, ctx)).toEqual(expected);
  });

  it('passes integers beyond 2^53 through as the doubles they already are', () => {
    const big = { ...ctx, steps: { t: { status: 'ok', result: { ticks: 638_000_000_000_000_000 } } } };
    expect(evaluateTemplate('${{ steps.t.result.ticks }}', big)).toBe(638_000_000_000_000_000);
  });

  it('joins several expressions into text', () => {
    expect(evaluateTemplate('port ${{ params.Port }} on ${{ params.Host }}: ${{ params.Force }}', ctx)).toBe(
      'port 3389 on srv01: true',
    );
  });

  it('replaces expressions deeply and leaves keys and other values alone', () => {
    const value = { '${{ params.Host }}': ['${{ params.Port }}', 5, null, { deep: 'x${{ params.Host }}' }] };
    expect(evaluateTemplate(value, ctx)).toEqual({
      '${{ params.Host }}': [3389, 5, null, { deep: 'xsrv01' }],
    });
  });

  it('treats values as data: a param holding ${{ }} is not evaluated again', () => {
    expect(evaluateTemplate('${{ params.Inject }}', ctx)).toBe('${{ params.Port }}');
    expect(evaluateTemplate('a ${{ params.Inject }}', ctx)).toBe('a ${{ params.Port }}');
  });

  it('throws an ExpressionError naming the expression for a missing step', () => {
    expect(() => evaluateTemplate('${{ steps.later.result }}', ctx)).toThrow(ExpressionError);
    expect(() => evaluateTemplate('${{ steps.later.result }}', ctx)).toThrow(/steps\.later\.result.*later/);
  });

  it('refuses JavaScript: there is no eval behind expressions', () => {
    expect(() => evaluateTemplate('${{ process.exit(1) }}', ctx)).toThrow(ExpressionError);
    expect(() => evaluateTemplate('${{ params.constructor }}', ctx)).toThrow(ExpressionError);
  });
});

describe('evaluateCondition', () => {
  it.each([
    ['steps.tcp.status == "ok" && !steps.tcp.result.reachable', true],
    ['causes["rule-off"].detected && causes["rule-off"].confidence > 0.5', true],
    ['causes["rule-off"].confidence * 2.0 == 2.0', true],
    ['causes["port-closed"].detected', false],
    ['${{ params.Port == 3389 }}', true],
    ['steps.tcp.result.items.exists(i, i > 2)', true],
  ])('evaluates %s', (expr, expected) => {
    expect(evaluateCondition(expr, ctx)).toBe(expected);
  });

  it('refuses a condition that is not true or false', () => {
    expect(() => evaluateCondition('params.Port', ctx)).toThrow('a condition must be true or false');
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['20s', 20_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [30, 30_000],
  ] as const)('reads %s as %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('refuses what is not a duration', () => {
    expect(() => parseDuration('20 seconds')).toThrow('not a duration');
    expect(() => parseDuration(-1)).toThrow('not a duration');
  });
});
