/**
 * Hostile or broken scenario files end in a PlaybookError at the right file:line:col, never in an
 * internal error, and never change Object.prototype (`psremedy test` loads many in one process).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/core/errors.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';
import { fuzzScenarioLoader } from './scenario-fuzz.js';

const head = 'apiVersion: psremedy/v1\nkind: LabScenario\nname: broken\ntitle: t\nbase: healthy\n';

async function problemsOf(text: string, files: Record<string, string> = {}): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'psremedy-hostile-'));
  await writeFile(join(dir, 'broken.yaml'), text);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const error = await loadScenario('broken', dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlaybookError);
  const problems = (error as PlaybookError).problems;
  expect(problems.length).toBeGreaterThan(0);
  return problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

describe('a hostile scenario', () => {
  it.each([
    '/__proto__/polluted',
    '/constructor/prototype/polluted',
    '/services/0/__proto__',
    '/registry/__proto__',
  ])('refuses set: { path: %s } without touching Object.prototype', async (path) => {
    const problems = await problemsOf(`${head}changes:\n  - set: { path: ${path}, value: yes }\n`);
    expect(problems[0]).toMatch(
      /^7:10 changes\.0\.set: path .*: the part "(__proto__|constructor)" is not allowed$/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it.each([
    [
      "setRegistryValue: { key: 'HKLM:\\SOFTWARE\\X', name: __proto__, type: DWord, value: 1 }",
      /registry value "__proto__" is not allowed/,
    ],
    ['setClientDns: { name: __proto__, addresses: [10.0.0.9] }', /host name "__proto__" is not allowed/],
    [
      'set: { path: /firewall/rules/99999/name, value: x }',
      /path \/firewall\/rules\/99999\/name does not exist/,
    ],
    [
      'set: { path: /firewall/rules/99999, value: x }',
      /"99999" is not an index of that list \(0 to \d+, or - to append\)/,
    ],
  ])('refuses %s at the change', async (change, message) => {
    const problems = await problemsOf(`${head}changes:\n  - ${change}\n`);
    expect(problems[0]).toMatch(/^7:(10|19|23) changes\.0\.\w+: /);
    expect(problems[0]).toMatch(message);
  });

  it('points at an alias used before its anchor', async () => {
    const problems = await problemsOf(`${head}changes:\n  - *later\n  - &later setClock: clock\n`);
    expect(problems).toEqual([expect.stringMatching(/^7:5 : .*later/)]);
  });

  it('says that a list is not a scenario, at the top of the file', async () => {
    const problems = await problemsOf('- setClock: clock\n- name: x\n');
    expect(problems[0]).toMatch(/^1:1 : /);
  });

  it.each(['clock+999999999d', 'clock-999999999d', 'clock+99999999999d'])(
    'refuses setClock: %s as out of range, at the change',
    async (time) => {
      const problems = await problemsOf(
        `${head}changes:\n  - setService: { name: TermService, status: Stopped }\n  - setClock: ${time}\n`,
      );
      expect(problems).toEqual([
        expect.stringMatching(
          /^8:15 changes\.1\.setClock: use an ISO 8601 time .* or one relative to the host clock/,
        ),
      ]);
    },
  );

  it.each([
    ['not-json.json', '{ "registry": ', /cannot read the base host state .*not-json\.json/],
    ['array.json', '[1, 2]', /the base host state is .*, not a JSON object/],
    ['null.json', 'null', /the base host state is .*, not a JSON object/],
  ])('refuses the base %s at base:', async (name, content, message) => {
    const problems = await problemsOf(head.replace('base: healthy', `base: ./${name}`), { [name]: content });
    expect(problems[0]).toMatch(/^5:7 base: /);
    expect(problems[0]).toMatch(message);
  });

  it('refuses a change a base without that part cannot take, at the change', async () => {
    const problems = await problemsOf(
      `${head.replace('base: healthy', 'base: ./empty.json')}changes:\n  - setClientDns: { name: SRV01, addresses: [10.0.0.9] }\n`,
      { 'empty.json': '{}' },
    );
    expect(problems[0]).toMatch(/^7:19 changes\.0\.setClientDns: cannot apply setClientDns: /);
  });
});

describe('the scenario loader under fuzzing', () => {
  it('ends 300 seeded mutations of the shipped scenarios in a scenario or a positioned PlaybookError', async () => {
    const report = await fuzzScenarioLoader(300, 21);
    expect(report.crashes.slice(0, 3)).toEqual([]);
    expect(report.loaded + report.refused).toBe(300);
    expect(report.slowestMs).toBeLessThan(5_000);
  }, 120_000);
});
