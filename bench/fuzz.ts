/**
 * The loader fuzz at scale: thousands of mutations of the shipped playbooks and lab scenarios
 * through loadPlaybook and loadScenario (CI runs 400: test/playbook/fuzz-loaders.test.ts).
 * `npm run bench fuzz`; PSREMEDY_FUZZ_COUNT sets how many (default 5000).
 */

import { fuzzLoaders } from '../test/support/fuzz-loaders.js';
import type { BenchLine } from './run.js';

export default async function fuzz(): Promise<BenchLine[]> {
  const count = Number(process.env.PSREMEDY_FUZZ_COUNT ?? 5000);
  const started = performance.now();
  const figures = await fuzzLoaders(count, 100_000);
  const seconds = (performance.now() - started) / 1000;
  for (const failure of figures.failures.slice(0, 20))
    console.log(
      `  ${failure.kind} (seed ${failure.seed}, ${failure.source}): ${failure.detail.split('\n')[0]}`,
    );
  const failed = (kind: string) => figures.failures.filter((f) => f.kind === kind).length;
  return [
    { name: 'mutations', value: figures.mutations, unit: '' },
    { name: 'refused with problems', value: figures.refused, unit: '' },
    { name: 'still valid', value: figures.accepted, unit: '' },
    { name: 'crashes', value: failed('crash'), unit: '' },
    { name: 'stack traces', value: failed('stack'), unit: '' },
    { name: 'hangs (> 10 s)', value: failed('hang'), unit: '' },
    { name: 'slowest mutation', value: figures.slowestMs, unit: 'ms' },
    { name: 'total', value: seconds, unit: 's' },
  ];
}
