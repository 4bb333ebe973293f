import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatInventoryJsonSchema } from '../../src/inventory/index.js';

const committed = new URL('../../schema/inventory.schema.json', import.meta.url);

describe('the inventory JSON Schema', () => {
  it('is committed up to date (regenerate: psremedy schema --inventory > schema/inventory.schema.json)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(formatInventoryJsonSchema());
  });

  it('accepts the own-format fixture and refuses an unknown key, as the loader does', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(formatInventoryJsonSchema()));
    const fleet = parse(readFileSync(new URL('../fixtures/inventories/fleet.yaml', import.meta.url), 'utf8'));
    expect(validate(fleet)).toBe(true);
    expect(validate({ ...fleet, hosts: [{ name: 'a', adress: 'x' }] })).toBe(false);
    expect(validate({ ...fleet, hosts: [{ name: 'a', port: 70000 }] })).toBe(false);
  });
});
