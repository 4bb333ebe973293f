import type { LineCol } from '../playbook/yaml-source.js';

/**
 * What a format reader gives the resolver: groups as written, before merging. Ansible's YAML and
 * INI and psremedy's own format all read into this, so variable precedence is decided once.
 */

/** A value as written, with where it was written (for problems about it later). */
export interface RawValue extends RawPlace {
  value: unknown;
}

/** A place in the file and its dotted path (YAML) or `[section]` (INI), for messages. */
export interface RawPlace {
  at: LineCol;
  path: string;
  /** The file it is in, when not the inventory itself (group_vars/, host_vars/). */
  file?: string;
}

/** A host's appearance in a group, with the variables given there. */
export interface RawHostEntry extends RawPlace {
  name: string;
  vars: Map<string, RawValue>;
  params: Map<string, RawValue>;
}

/** A child group named in a group. */
export interface RawChild extends RawPlace {
  name: string;
}

/** A group as written. */
export interface RawGroup extends RawPlace {
  name: string;
  hosts: RawHostEntry[];
  children: RawChild[];
  vars: Map<string, RawValue>;
  params: Map<string, RawValue>;
  /** Its variables from group_vars/ beside the inventory, which outrank every group's inventory vars. */
  fileVars?: Map<string, RawValue>;
  /** False for a group only named (in children, or a [g:vars] section), never defined. */
  isDefined: boolean;
}

/** Every group of a file, `all` first. */
export type RawInventory = Map<string, RawGroup>;

/** The group of that name, created (undefined) when first named. */
export function groupNamed(raw: RawInventory, name: string, place: RawPlace): RawGroup {
  let group = raw.get(name);
  if (!group) {
    group = { name, ...place, hosts: [], children: [], vars: new Map(), params: new Map(), isDefined: false };
    raw.set(name, group);
  }
  return group;
}

/** An empty raw inventory holding the implicit `all` group. */
export function newRawInventory(): RawInventory {
  const raw: RawInventory = new Map();
  groupNamed(raw, 'all', { at: { line: 1, col: 1 }, path: 'all' }).isDefined = true;
  return raw;
}
