import { z } from 'zod';
import { Playbook } from './schema.js';

/** The playbook JSON Schema for editors (VS Code YAML, JetBrains), from the same zod schema. */
export function buildPlaybookJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(Playbook, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** The JSON Schema as the text committed at schema/playbook.schema.json. */
export function formatPlaybookJsonSchema(): string {
  return `${JSON.stringify(buildPlaybookJsonSchema(), null, 2)}\n`;
}
