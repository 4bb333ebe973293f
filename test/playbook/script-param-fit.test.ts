import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whyValueCannotBind } from '../../src/playbook/script-param-fit.js';
import type { WithValueKind } from '../../src/playbook/with-value-kind.js';
import { openSession } from '../../src/powershell/open-session.js';
import type { Session } from '../../src/powershell/types.js';
import { findTestPowerShell } from '../powershell/test-powershell.js';

// The .NET type each PowerShell type constraint means (what the parse service reports).
const TYPES: Record<string, string> = {
  int: 'System.Int32',
  long: 'System.Int64',
  double: 'System.Double',
  bool: 'System.Boolean',
  switch: 'System.Management.Automation.SwitchParameter',
  string: 'System.String',
  'string[]': 'System.String[]',
  psobject: 'System.Management.Automation.PSObject',
};

const VALUES: Array<[string, unknown]> = [
  ['"abc"', 'abc'],
  ['"12"', '12'],
  ['" 0x1F "', ' 0x1F '],
  ['"true"', 'true'],
  ['"1.5e3"', '1.5e3'],
  ['true', true],
  ['5', 5],
  ['2.5', 2.5],
  ['5000000000', 5_000_000_000],
  ['null', null],
  ['[1, 2]', [1, 2]],
  ['["one"]', ['one']],
  ['{ a: 1 }', { a: 1 }],
];

function kindOf(value: unknown): WithValueKind {
  if (value === null) return { kind: 'null' };
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'bool' };
  return Array.isArray(value) ? { kind: 'list' } : { kind: 'map' };
}

describe("validate's idea of what a script parameter accepts matches real PowerShell binding", () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ kind: 'local' }, { powershell: await findTestPowerShell() });
  });
  afterAll(async () => {
    await session?.close();
  });

  const cases = Object.keys(TYPES).flatMap((type) =>
    VALUES.map(([label, value]) => [type, label, value] as const),
  );
  it.each(cases)('[%s] given %s', async (type, _label, value) => {
    const refusal = whyValueCannotBind(kindOf(value), TYPES[type] ?? '');
    const outcome = await session.run({
      script: `[CmdletBinding()]\nparam([${type}] $Value)\n'bound'`,
      params: { Value: value },
      timeoutMs: 30_000,
    });
    if (refusal !== undefined) {
      // Every refusal validate reports is one PowerShell makes: never a false alarm.
      expect(outcome.status, refusal).toBe('failed');
      expect(outcome.error?.message).toMatch(/Cannot (process argument transformation|convert)/);
    } else {
      expect(outcome.status, JSON.stringify(outcome.error)).toBe('ok');
    }
  });
});
