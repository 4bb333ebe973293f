/**
 * Three of the four descriptions of a host state meet here: every shipped scenario, turned into a
 * host state by the scenario loader and state patches (src/lab/scenario/), is a state that
 * lab/schema/host-state.schema.json accepts, the format the lab module reads.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { listScenarioNames } from '../../src/lab/scenario/scenario-loader.js';
import { removeState, writeScenarioState } from '../rdp/support/lab-state.js';

const schemaFile = fileURLToPath(new URL('../../lab/schema/host-state.schema.json', import.meta.url));
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
ajv.addFormat('date-time', (text: string) => !Number.isNaN(Date.parse(text)));
const validate = ajv.compile(JSON.parse(await readFile(schemaFile, 'utf8')));
const names = await listScenarioNames();
const paths = await Promise.all(names.map((name) => writeScenarioState(name)));
afterAll(async () => {
  await Promise.all(paths.map((p) => removeState(p)));
});

describe('the host state of each shipped scenario', () => {
  it.each(names.map((name, i) => [name, paths[i] as string]))(
    '%s fits the host state schema',
    async (_name, path) => {
      const state = JSON.parse(await readFile(path, 'utf8'));
      expect(validate(state), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    },
  );

  it('is refused by the schema when a field has a value the format does not allow', async () => {
    const state = JSON.parse(await readFile(paths[0] as string, 'utf8'));
    state.services[0].startType = 'Sometimes';
    expect(validate(state)).toBe(false);
  });
});
