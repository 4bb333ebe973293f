/** Inventories: Ansible YAML and INI and psremedy's own format, read into one model of hosts. */
export type { PlaybookParams } from './host-params.js';
export type { Inventory, InventoryFormat, InventoryGroup, InventoryHost } from './inventory-model.js';
export { formatInventoryJsonSchema, InventoryDoc } from './inventory-schema.js';
export { type LoadInventoryOptions, loadInventory } from './load-inventory.js';
export { LAB_PLACEHOLDER_DOMAIN } from './own-connection.js';
export { playbookParamsOf } from './playbook-params.js';
export { selectHosts } from './select-hosts.js';
