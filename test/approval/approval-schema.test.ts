import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalJsonSchema } from '../../src/approval/approval-format.js';

const committed = join(import.meta.dirname, '../../schema/approval.schema.json');

describe('schema/approval.schema.json', () => {
  it('is the JSON Schema generated from the approval format (update: PSREMEDY_UPDATE_SCHEMA=1 npx vitest run test/approval/approval-schema.test.ts)', () => {
    const generated = `${JSON.stringify(approvalJsonSchema(), null, 2)}\n`;
    if (process.env.PSREMEDY_UPDATE_SCHEMA === '1') writeFileSync(committed, generated);
    expect(readFileSync(committed, 'utf8')).toBe(generated);
  });
});
