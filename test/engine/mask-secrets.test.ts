import { describe, expect, it } from 'vitest';
import { maskSecretValues } from '../../src/engine/mask-secrets.js';

describe('masking secret values in a script outcome', () => {
  it('replaces every occurrence in nested strings and keys, longest secret first, and keeps other values', () => {
    const outcome = {
      status: 'failed',
      result: { token: 'abc-123', list: ['x abc-123 y', 5, true, null], 'abc-123': 'key stays' },
      error: { message: 'refused abc-1234 and abc-123' },
    };
    expect(maskSecretValues(outcome, ['abc-123', 'abc-1234', ''])).toEqual({
      status: 'failed',
      result: { token: '********', list: ['x ******** y', 5, true, null], '********': 'key stays' },
      error: { message: 'refused ******** and ********' },
    });
  });

  it('returns the value itself when there is no secret', () => {
    const outcome = { result: 'plain' };
    expect(maskSecretValues(outcome, [])).toBe(outcome);
  });
});
