/** The fleet report's overview row says what became of a host, also when it was undone after the run. */
import { describe, expect, it } from 'vitest';
import { outcomeNow } from '../../src/report/render-fleet.js';
import type { RunReport } from '../../src/report/report-model.js';

const reportEnding = (outcome: RunReport['outcome']) => ({ outcome }) as RunReport;

describe('a fleet host outcome in the overview', () => {
  it('says a repaired host was rolled back when psremedy rollback undid it after the fleet run', () => {
    expect(outcomeNow({ outcome: 'repaired', report: reportEnding('rolledBack') })).toBe(
      'repaired, then rolled back',
    );
  });

  it('keeps the fleet journal word when nothing happened to the host since', () => {
    expect(outcomeNow({ outcome: 'repaired', report: reportEnding('changed') })).toBe('repaired');
    expect(outcomeNow({ outcome: 'rolledBack', report: reportEnding('rolledBack') })).toBe('rolledBack');
    expect(outcomeNow({ outcome: 'refused' })).toBe('refused');
  });
});
