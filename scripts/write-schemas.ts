/** `npm run schemas`: writes every committed JSON Schema from its zod definition. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_SCHEMAS } from '../src/cli/json-schemas.js';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const { file, generate } of GENERATED_SCHEMAS) {
  const path = join(root, file);
  const text = generate();
  const changed = readFileSync(path, 'utf8') !== text;
  if (changed) writeFileSync(path, text);
  process.stdout.write(`${changed ? 'wrote' : 'unchanged'} ${file}\n`);
}
