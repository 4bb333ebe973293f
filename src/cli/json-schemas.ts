/**
 * Every JSON Schema psremedy commits under schema/, each generated from its zod definition.
 * `npm run schemas` writes them; test/json-schemas.test.ts fails when a committed one is stale.
 */
import { approvalJsonSchema } from '../approval/approval-format.js';
import { formatEventsJsonSchema } from '../engine/events.js';
import { formatInventoryJsonSchema } from '../inventory/inventory-schema.js';
import { formatPlaybookJsonSchema } from '../playbook/json-schema.js';
import { reportJsonSchema } from '../report/report-model.js';

const asText = (schema: unknown) => `${JSON.stringify(schema, null, 2)}\n`;

/** A committed schema: its path from the package root, and the text it must hold. */
export interface GeneratedSchema {
  file: string;
  generate: () => string;
}

/** The committed schemas, one per zod definition. */
export const GENERATED_SCHEMAS: GeneratedSchema[] = [
  { file: 'schema/playbook.schema.json', generate: formatPlaybookJsonSchema },
  { file: 'schema/events.schema.json', generate: formatEventsJsonSchema },
  { file: 'schema/report.schema.json', generate: () => asText(reportJsonSchema()) },
  { file: 'schema/approval.schema.json', generate: () => asText(approvalJsonSchema()) },
  { file: 'schema/inventory.schema.json', generate: formatInventoryJsonSchema },
];
