import { describe, expect, it } from 'vitest';
import { fuzzLoaders, HANG_MS } from '../support/fuzz-loaders.js';

describe('loading mutated shipped playbooks and lab scenarios', () => {
  it('never crashes, never shows a stack trace and never takes 10 s, over 400 mutations', async () => {
    const figures = await fuzzLoaders(400);
    expect(figures.mutations).toBe(400);
    expect(figures.failures).toEqual([]);
    expect(figures.slowestMs).toBeLessThan(HANG_MS);
    // The mutations must really bite: most are refused, some still load.
    expect(figures.refused).toBeGreaterThan(200);
  }, 300_000);

  it('refuses, without crashing, the mutations that once crashed the scenario loader (an alias before its anchor)', async () => {
    for (const seed of [100409, 100471, 102005]) {
      const figures = await fuzzLoaders(1, seed);
      expect(figures.failures).toEqual([]);
      expect(figures.refused).toBe(1);
    }
  });
});
