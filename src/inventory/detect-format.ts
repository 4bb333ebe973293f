import { extname } from 'node:path';
import { isPlainObject } from '../playbook/schema-problems.js';
import { parseYamlSource, type YamlSource } from '../playbook/yaml-source.js';

/**
 * Whether an inventory file is INI or YAML: `.ini`/`.cfg` are INI, `.yaml`/`.yml`/`.json` YAML;
 * any other name (Ansible's `hosts`) is YAML when it reads as a YAML map, else INI.
 */
export function detectInventorySyntax(
  file: string,
  text: string,
): { syntax: 'ini' } | { syntax: 'yaml'; source: YamlSource } {
  const ext = extname(file).toLowerCase();
  if (ext === '.ini' || ext === '.cfg') return { syntax: 'ini' };
  const source = parseYamlSource(text);
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') return { syntax: 'yaml', source };
  if (source.doc.errors.length > 0) return { syntax: 'ini' };
  try {
    return isPlainObject(source.doc.toJS({ maxAliasCount: 100 }))
      ? { syntax: 'yaml', source }
      : { syntax: 'ini' };
  } catch {
    return { syntax: 'ini' };
  }
}
