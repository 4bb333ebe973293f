import { z } from 'zod';

/** psremedy's own inventory format (YAML): hosts with params, groups of hosts and groups. */

const Name = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - (no spaces)');

const Params = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a playbook param name'), z.unknown())
  .meta({ description: 'Values for the playbook params, by name; checked against the playbook.' });

const PORT_RANGE = 'must be a TCP port (1-65535)';

const connectionSettings = {
  transport: z
    .enum(['winrm', 'ssh', 'local'])
    .optional()
    .meta({ description: 'How psremedy reaches the host (default winrm).' }),
  port: z
    .int()
    .min(1, PORT_RANGE)
    .max(65535, PORT_RANGE)
    .optional()
    .meta({ description: 'Port of the transport.' }),
  user: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'SSH user name (WinRM credentials come from the environment or a prompt).' }),
  useSsl: z
    .boolean()
    .optional()
    .meta({ description: 'WinRM over HTTPS (port 5986 unless port says otherwise).' }),
  keyFile: z.string().min(1).optional().meta({ description: 'SSH private key file.' }),
};

/** One host. */
export const InventoryHostDoc = z.strictObject({
  name: Name.meta({
    description: 'The host name --limit matches; also the address unless address is given.',
  }),
  address: z.string().min(1).optional().meta({ description: 'DNS name or IP address to connect to.' }),
  lab: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'A lab scenario: the host is simulated (psremedy lab list).' }),
  params: Params.optional(),
  ...connectionSettings,
});

/** A group: hosts, child groups, and params and settings its hosts inherit. */
export const InventoryGroupDoc = z.strictObject({
  hosts: z.array(z.string().min(1)).optional().meta({ description: 'Names of hosts in the group.' }),
  children: z.array(z.string().min(1)).optional().meta({ description: 'Names of groups inside this group.' }),
  params: Params.optional(),
  ...connectionSettings,
});

/** Settings and params every host inherits (the `all` group). */
export const InventoryDefaultsDoc = z.strictObject({ params: Params.optional(), ...connectionSettings });

/** The whole file. */
export const InventoryDoc = z.strictObject({
  apiVersion: z.literal('psremedy/v1'),
  kind: z.literal('Inventory'),
  defaults: InventoryDefaultsDoc.optional(),
  hosts: z.array(InventoryHostDoc).min(1),
  groups: z.record(Name, InventoryGroupDoc).optional(),
});

/** The keys of the connection settings, shared by hosts, groups and defaults. */
export const CONNECTION_KEYS = Object.keys(connectionSettings);

/** A validated own-format inventory. */
export type InventoryDocument = z.infer<typeof InventoryDoc>;

/** The JSON Schema for editors, from the same zod schema. */
export function formatInventoryJsonSchema(): string {
  const schema = z.toJSONSchema(InventoryDoc, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
