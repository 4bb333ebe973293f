import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScenarioNames, loadScenario } from '../../src/lab/scenario-loader.js';
import { openScenarioRunner, type ScenarioRunner } from './support/diagnose-driver.js';

let runner: ScenarioRunner;
beforeAll(async () => {
  runner = await openScenarioRunner('rdp-0x904.yaml');
});
afterAll(async () => {
  await runner?.close();
});

const scenarios = await listScenarioNames();
/** Timed-out connects are a planted fault here; 3 s keeps the suite short and leaves a loaded machine time for TLS. */
const fast = { ConnectTimeoutMs: 3000 };

describe('rdp-0x904 diagnosis against the lab scenarios', () => {
  it('covers every scenario shipped in lab/scenarios', () => {
    expect(scenarios).toContain('healthy');
    expect(scenarios.length).toBeGreaterThanOrEqual(13);
  });

  it('finds nothing on a healthy host, and the handshake succeeds', async () => {
    const diagnosis = await runner.diagnose('healthy', fast);
    expect(diagnosis.failures).toEqual({});
    expect(diagnosis.ranked.filter((c) => c.detected).map((c) => c.cause)).toEqual([]);
    expect(diagnosis.steps.handshake?.result).toMatchObject({ stage: 'done', succeeded: true });
  });

  it.each(scenarios.filter((s) => s !== 'healthy'))('names the planted cause first in %s', async (name) => {
    const { scenario } = await loadScenario(name);
    const diagnosis = await runner.diagnose(name, fast);
    expect(diagnosis.failures).toEqual({});
    const detected = diagnosis.ranked.filter((c) => c.detected).map((c) => c.cause);
    expect(detected).toEqual(expect.arrayContaining(scenario.expectedCauses));
    expect(scenario.expectedCauses).toContain(diagnosis.ranked[0]?.cause);
    for (const cause of scenario.expectedCauses) {
      const evidence = diagnosis.ranked.find((c) => c.cause === cause)?.evidence ?? [];
      expect(evidence.length, `evidence for ${cause}`).toBeGreaterThan(0);
      expect(evidence.every((e) => e.evidence.length > 20)).toBe(true);
    }
  });
});
