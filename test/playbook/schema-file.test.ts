import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatPlaybookJsonSchema } from '../../src/playbook/index.js';

const _committed = fileURLToPath(new URL('../../schema/playbook.schema.json', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/psremedy.js', import.meta.url));

describe('the playbook JSON Schema', () => {
  it('is what psremedy schema prints', () => {
    expect(execFileSync(process.execPath, [bin, 'schema'], { encoding: 'utf8' })).toBe(
      formatPlaybookJsonSchema(),
    );
  });

  it('tells editors the steps, risks and the undo reason', () => {
    const schema = JSON.parse(formatPlaybookJsonSchema());
    expect(schema.required).toEqual(['apiVersion', 'name', 'title', 'steps']);
    const fix = schema.properties.steps.items.oneOf[1];
    expect(fix.properties.risk.enum).toEqual(['low', 'medium', 'high', 'disruptive']);
    expect(fix.properties.undo.anyOf[1].required).toEqual(['none']);
    expect(fix.additionalProperties).toBe(false);
  });
});
