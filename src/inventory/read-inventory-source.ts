import { PlaybookError } from '../core/errors.js';
import { ProblemList } from '../playbook/problem-list.js';
import { readYamlData } from '../playbook/read-yaml-data.js';
import { describeValue, isPlainObject } from '../playbook/schema-problems.js';
import { detectInventorySyntax } from './detect-format.js';
import type { InventoryFormat } from './inventory-model.js';
import type { RawInventory } from './raw-inventory.js';
import { readAnsibleIni } from './read-ansible-ini.js';
import { readAnsibleYaml } from './read-ansible-yaml.js';
import { readOwnInventory } from './read-own-inventory.js';

/**
 * Reads an inventory's text with the reader of its format: INI, or YAML that is psremedy's own
 * (it has `apiVersion` or `kind`) or Ansible's. Returns the raw groups and the problem list the
 * rest of the checks add to (positioned in the YAML when it is YAML); throws on YAML that cannot
 * be read as data at all.
 */
export function readInventorySource(
  file: string,
  text: string,
  problems: ProblemList,
): { raw: RawInventory; format: InventoryFormat; list: ProblemList } {
  const detected = detectInventorySyntax(file, text);
  let raw: RawInventory;
  let format: InventoryFormat;
  let list = problems;
  if (detected.syntax === 'ini') {
    format = 'ansible-ini';
    raw = readAnsibleIni(text, problems);
  } else {
    list = new ProblemList(file, detected.source);
    const data = readYamlData(detected.source, list);
    if (list.hasErrors) throw new PlaybookError(file, list.sorted());
    if (!isPlainObject(data)) {
      list.addAt(
        { line: 1, col: 1 },
        '',
        data === null || data === undefined
          ? 'the inventory is empty'
          : `an inventory is a map of groups, not ${describeValue(data)}`,
        'start with all: (Ansible) or apiVersion: psremedy/v1 and kind: Inventory',
      );
      throw new PlaybookError(file, list.items);
    }
    format = 'apiVersion' in data || 'kind' in data ? 'psremedy' : 'ansible-yaml';
    raw =
      format === 'psremedy'
        ? readOwnInventory(data, detected.source, list)
        : readAnsibleYaml(data, detected.source, list);
  }
  return { raw, format, list };
}
