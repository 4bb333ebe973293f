import { didYouMean } from '../playbook/did-you-mean.js';
import type { ProblemList } from '../playbook/problem-list.js';
import { describeValue, isPlainObject } from '../playbook/schema-problems.js';
import { type DocPath, positionOfKey, positionOfPath, type YamlSource } from '../playbook/yaml-source.js';
import { expandHostRange, splitHostPort } from './host-ranges.js';
import { groupNamed, newRawInventory, type RawInventory, type RawValue } from './raw-inventory.js';

const GROUP_KEYS = ['hosts', 'vars', 'children'];

/**
 * Reads an Ansible YAML inventory as ansible.builtin.yaml documents it: top-level keys are groups
 * (usually `all`), each a map of `hosts` (name -> vars), `vars` and `children` (nested groups).
 * A host or group may appear in several places; the resolver merges them as Ansible does.
 */
export function readAnsibleYaml(
  data: Record<string, unknown>,
  source: YamlSource,
  problems: ProblemList,
): RawInventory {
  const raw = newRawInventory();
  const reader = new GroupReader(raw, source, problems);
  for (const [name, body] of Object.entries(data)) reader.read(name, body, [name], undefined);
  return raw;
}

class GroupReader {
  constructor(
    private readonly raw: RawInventory,
    private readonly source: YamlSource,
    private readonly problems: ProblemList,
  ) {}

  read(name: string, body: unknown, path: DocPath, parent: string | undefined): void {
    const place = this.place(path);
    const group = groupNamed(this.raw, name, place);
    if (parent !== undefined) this.raw.get(parent)?.children.push({ name, ...place });
    if (body === null || body === undefined) {
      group.isDefined ||= parent === undefined;
      return;
    }
    if (!isPlainObject(body)) {
      this.problems.add(
        path,
        `group "${name}" must be a map of hosts, vars and children, not ${describeValue(body)}`,
      );
      return;
    }
    group.isDefined = true;
    for (const key of Object.keys(body)) {
      if (GROUP_KEYS.includes(key)) continue;
      const hint = didYouMean(key, GROUP_KEYS);
      this.problems.addAt(
        positionOfKey(this.source, [...path, key]),
        [...path, key],
        `unknown key "${key}" in group "${name}"`,
        hint || 'a group has only hosts:, vars: and children:',
      );
    }
    for (const [key, value] of this.mapAt(body.vars, [...path, 'vars'])) group.vars.set(key, value);
    const hosts = body.hosts;
    if (isPlainObject(hosts)) {
      for (const [pattern, vars] of Object.entries(hosts))
        this.readHost(pattern, vars, [...path, 'hosts', pattern], name);
    } else if (hosts !== undefined && hosts !== null) {
      this.problems.add(
        [...path, 'hosts'],
        `hosts must be a map of host names, not ${describeValue(hosts)}`,
        Array.isArray(hosts) ? 'write each host as a key ("web01:"), not a list item ("- web01")' : undefined,
      );
    }
    const children = body.children;
    if (isPlainObject(children)) {
      for (const [child, childBody] of Object.entries(children))
        this.read(child, childBody, [...path, 'children', child], name);
    } else if (children !== undefined && children !== null) {
      this.problems.add(
        [...path, 'children'],
        `children must be a map of groups, not ${describeValue(children)}`,
      );
    }
  }

  private readHost(pattern: string, vars: unknown, path: DocPath, groupName: string): void {
    const place = this.place(path);
    const hostVars = new Map<string, RawValue>();
    const { host, port } = splitHostPort(pattern);
    if (port !== undefined) hostVars.set('ansible_port', { value: Number(port), ...place });
    if (vars !== null && vars !== undefined && !isPlainObject(vars)) {
      this.problems.add(path, `host "${pattern}" must have a map of variables, not ${describeValue(vars)}`);
    } else {
      for (const [key, value] of this.mapAt(vars, path)) hostVars.set(key, value);
    }
    const expanded = expandHostRange(host);
    if ('error' in expanded) {
      this.problems.addAt(place.at, path, `host "${host}": ${expanded.error}`);
      return;
    }
    const group = this.raw.get(groupName)!;
    for (const name of expanded.names)
      group.hosts.push({ name, ...place, vars: hostVars, params: new Map() });
  }

  private mapAt(value: unknown, path: DocPath): Map<string, RawValue> {
    const out = new Map<string, RawValue>();
    if (value === null || value === undefined) return out;
    if (!isPlainObject(value)) {
      this.problems.add(path, `must be a map of variables, not ${describeValue(value)}`);
      return out;
    }
    for (const [key, item] of Object.entries(value))
      out.set(key, { value: item, ...this.place([...path, key]) });
    return out;
  }

  private place(path: DocPath): { at: { line: number; col: number }; path: string } {
    const last = path[path.length - 1];
    const at =
      typeof last === 'string' ? positionOfKey(this.source, path) : positionOfPath(this.source, path);
    return { at, path: path.join('.') };
  }
}
