import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration } from '../../src/playbook/duration.js';

describe('playbook durations', () => {
  it.each([
    ['500ms', 500],
    ['20s', 20_000],
    ['1.5m', 90_000],
    ['24h', MAX_DURATION_MS],
    [86_400, MAX_DURATION_MS],
    [0.5, 500],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['25h', /longer than the maximum of 24h/],
    ['86401s', /longer than the maximum of 24h/],
    [86_401, /longer than the maximum of 24h/],
    [`${'9'.repeat(400)}s`, /longer than the maximum of 24h/],
    [Number.POSITIVE_INFINITY, /longer than the maximum of 24h/],
    ['0s', /shorter than 1ms/],
    ['0.0001ms', /shorter than 1ms/],
    [0, /shorter than 1ms/],
    [Number.NaN, /use a duration/],
    ['20 seconds', /use a duration/],
  ])('refuses %s rather than turn it into an instant or endless timeout', (text, reason) => {
    expect(() => parseDuration(text)).toThrow(reason);
  });
});
