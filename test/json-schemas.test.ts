/** The committed JSON Schemas are what their zod definitions generate (regenerate: npm run schemas). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_SCHEMAS } from '../src/cli/json-schemas.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('committed JSON Schemas', () => {
  it.each(GENERATED_SCHEMAS.map((s) => [s.file, s] as const))(
    '%s is up to date (npm run schemas)',
    (file, s) => {
      expect(readFileSync(`${root}${file}`, 'utf8')).toBe(s.generate());
    },
  );

  it('cover every schema under schema/', async () => {
    const { readdirSync } = await import('node:fs');
    const committed = readdirSync(`${root}schema`).map((f) => `schema/${f}`);
    expect(committed.sort()).toEqual(GENERATED_SCHEMAS.map((s) => s.file).sort());
  });
});
