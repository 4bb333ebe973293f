import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { ProblemList } from '../playbook/problem-list.js';
import { isTextFile, MAX_PLAYBOOK_BYTES, readTextFile } from '../playbook/read-text-file.js';
import { readYamlData } from '../playbook/read-yaml-data.js';
import { describeValue, isPlainObject } from '../playbook/schema-problems.js';
import { parseYamlSource, positionOfKey } from '../playbook/yaml-source.js';
import type { RawInventory, RawValue } from './raw-inventory.js';

const VARS_EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/**
 * Reads `group_vars/` and `host_vars/` beside an Ansible inventory, as Ansible's host_group_vars
 * plugin does: `<name>`, `<name>.yml`, `.yaml` or `.json`, or every such file inside a `<name>/`
 * folder in name order. Group files go to each group's `fileVars`; host files are returned.
 * Problems land in `problems` with the vars file's own name; a vault-encrypted file is a warning.
 */
export async function readVarsDirectories(
  inventoryFile: string,
  raw: RawInventory,
  hostNames: readonly string[],
  problems: ProblemList,
): Promise<Map<string, Map<string, RawValue>>> {
  const base = dirname(resolve(inventoryFile));
  for (const group of raw.values()) {
    const vars = await readVarsOf(join(base, 'group_vars'), group.name, problems);
    if (vars.size > 0) group.fileVars = vars;
  }
  const hostVars = new Map<string, Map<string, RawValue>>();
  for (const name of hostNames) {
    const vars = await readVarsOf(join(base, 'host_vars'), name, problems);
    if (vars.size > 0) hostVars.set(name, vars);
  }
  return hostVars;
}

async function readVarsOf(dir: string, name: string, problems: ProblemList): Promise<Map<string, RawValue>> {
  const vars = new Map<string, RawValue>();
  for (const file of await varsFilesOf(dir, name))
    for (const [k, v] of await readVarsFile(file, problems)) vars.set(k, v);
  return vars;
}

async function varsFilesOf(dir: string, name: string): Promise<string[]> {
  const files: string[] = [];
  for (const ext of VARS_EXTENSIONS) {
    const path = join(dir, `${name}${ext}`);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) files.push(path);
    if (info?.isDirectory() && ext === '') files.push(...(await filesInside(path)));
  }
  return files;
}

async function filesInside(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesInside(path)));
    else if (entry.isFile() && VARS_EXTENSIONS.includes(extname(entry.name))) files.push(path);
  }
  return files;
}

async function readVarsFile(file: string, problems: ProblemList): Promise<Map<string, RawValue>> {
  const vars = new Map<string, RawValue>();
  const own = new ProblemList(file);
  const read = await readTextFile(file, MAX_PLAYBOOK_BYTES);
  if (!isTextFile(read)) {
    own.addAt(read.at ?? { line: 1, col: 1 }, '', `cannot read the vars file: ${read.message}`, read.hint);
  } else if (read.text.startsWith('$ANSIBLE_VAULT;')) {
    own.addAt(
      { line: 1, col: 1 },
      '',
      'this file is encrypted with ansible-vault: psremedy does not read it, so its variables are left out',
      undefined,
      'warning',
    );
  } else {
    const source = parseYamlSource(read.text);
    const list = new ProblemList(file, source);
    const data = readYamlData(source, list);
    if (data !== undefined && data !== null && !isPlainObject(data))
      list.addAt({ line: 1, col: 1 }, '', `a vars file is a map of variables, not ${describeValue(data)}`);
    if (isPlainObject(data))
      for (const [key, value] of Object.entries(data))
        vars.set(key, { value, at: positionOfKey(source, [key]), path: key, file });
    own.items.push(...list.items);
  }
  problems.items.push(...own.items);
  return vars;
}
