import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlaybookError, UsageError } from '../../src/core/errors.js';
import {
  type LoadedPlaybook,
  loadPlaybook,
  parseParamAssignments,
  resolveParams,
} from '../../src/playbook/index.js';

const full = fileURLToPath(new URL('../fixtures/playbooks/full.yaml', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'psremedy-params-'));
let playbook: LoadedPlaybook;
beforeAll(async () => {
  playbook = await loadPlaybook(full);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function failure(raw: Record<string, string>, file?: string): Promise<string> {
  const error = await resolveParams(playbook, raw, file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe('resolveParams', () => {
  it('applies defaults and converts given values to their types', async () => {
    const params = await resolveParams(playbook, {
      ComputerName: 'srv01.lab',
      Port: '3390',
      Force: 'yes',
      Mode: 'FULL',
    });
    expect(params).toEqual({
      ComputerName: 'srv01.lab',
      Port: 3390,
      Force: true,
      Mode: 'full',
      Token: 's3cret',
    });
  });

  it.each([
    [{ Port: 'abc' }, 'param Port: expected a whole number (int), got "abc"'],
    [{ Port: '1.5' }, 'param Port: expected a whole number (int), got "1.5"'],
    [{ Force: 'maybe' }, 'param Force: expected true or false (bool), got "maybe"'],
    [{ Mode: 'ful' }, 'param Mode: expected one of quick, full, got "ful"; did you mean "full"?'],
    [
      { ComputerName: 'srv 01' },
      'param ComputerName: expected a string matching /[A-Za-z0-9.-]+/, got "srv 01"',
    ],
    [{ Prot: '1' }, '--param Prot: the playbook has no param "Prot"; did you mean "Port"?'],
  ])('names the param and what was expected: %j', async (raw, message) => {
    expect(await failure({ ComputerName: 'srv01', ...raw })).toContain(message);
  });

  it('reports a missing required param with what to pass', async () => {
    expect(await failure({})).toBe(
      'missing required param ComputerName: expected a string matching /[A-Za-z0-9.-]+/ (the server); pass --param ComputerName=<value>',
    );
  });

  it('reports every bad param at once', async () => {
    const message = await failure({ Port: 'x', Force: 'perhaps' });
    expect(message.split('\n')).toHaveLength(4);
    expect(message).toMatch(/^3 bad params:/);
  });

  it('reads a params file, letting --param win', async () => {
    const file = join(tmp, 'params.yaml');
    writeFileSync(file, 'ComputerName: from-file\nPort: 1234\nForce: true\n');
    expect(await resolveParams(playbook, { Port: '99' }, file)).toMatchObject({
      ComputerName: 'from-file',
      Port: 99,
      Force: true,
    });
  });

  it('reports a broken params file with its position', async () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, 'ComputerName: a\nPort: [1, 2]\n');
    const error = await resolveParams(playbook, {}, file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlaybookError);
    expect((error as PlaybookError).problems).toMatchObject([{ line: 2, col: 7, path: 'Port' }]);
  });
});

describe('parseParamAssignments', () => {
  it('splits NAME=VALUE at the first =', () => {
    expect(parseParamAssignments(['A=1', 'Filter=x=y', 'Empty='])).toEqual({
      A: '1',
      Filter: 'x=y',
      Empty: '',
    });
  });

  it('refuses an assignment without a name', () => {
    expect(() => parseParamAssignments(['=1'])).toThrow('is not NAME=VALUE');
    expect(() => parseParamAssignments(['Port'])).toThrow('is not NAME=VALUE');
  });
});

describe('param names that objects already have', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'refuses -p %s=x as a param the playbook does not have',
    async (name) => {
      const raw = parseParamAssignments([`${name}=x`, 'ComputerName=srv01']);
      expect(Object.keys(raw)).toContain(name);
      expect(await failure(raw)).toMatch(new RegExp(`the playbook has no param "${name}"`));
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    },
  );

  it('refuses them in a params file too', async () => {
    const file = join(tmp, 'proto.json');
    writeFileSync(file, '{ "__proto__": "x", "constructor": "x", "ComputerName": "srv01" }');
    expect(await failure({}, file)).toMatch(/no param "__proto__"[\s\S]*no param "constructor"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
