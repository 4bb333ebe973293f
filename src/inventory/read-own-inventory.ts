import { didYouMean, suggestClosest } from '../playbook/did-you-mean.js';
import type { ProblemList } from '../playbook/problem-list.js';
import { addSchemaProblems, isPlainObject } from '../playbook/schema-problems.js';
import { type DocPath, positionOfKey, positionOfPath, type YamlSource } from '../playbook/yaml-source.js';
import {
  InventoryDefaultsDoc,
  InventoryDoc,
  InventoryGroupDoc,
  InventoryHostDoc,
} from './inventory-schema.js';
import { groupNamed, newRawInventory, type RawInventory, type RawValue } from './raw-inventory.js';

/**
 * Reads psremedy's own inventory format into the shared raw form: `defaults` are the `all`
 * group, each host is listed in `all`, settings (transport, port, ...) are variables and
 * `params` stay params. Every problem is collected: schema, duplicate hosts, unknown names.
 */
export function readOwnInventory(
  data: Record<string, unknown>,
  source: YamlSource,
  problems: ProblemList,
): RawInventory {
  const raw = newRawInventory();
  const parsed = InventoryDoc.safeParse(data);
  if (!parsed.success) {
    const unknown = parsed.error.issues.filter((i) => i.code === 'unrecognized_keys');
    addSchemaProblems(
      parsed.error.issues.filter((i) => i.code !== 'unrecognized_keys'),
      data,
      source,
      problems,
    );
    for (const issue of unknown)
      for (const key of issue.code === 'unrecognized_keys' ? issue.keys : []) {
        const path = issue.path.map(String);
        const allowed = allowedKeysAt(path);
        const hint = didYouMean(key, allowed);
        problems.addAt(
          positionOfPath(source, path, key),
          [...path, key],
          `unknown key "${key}"`,
          hint || `allowed keys here: ${allowed.join(', ')}`,
        );
      }
  }
  const place = (path: DocPath) => ({ at: positionOfPath(source, path), path: path.join('.') });
  const keyPlace = (path: DocPath) => ({ at: positionOfKey(source, path), path: path.join('.') });
  const settingsOf = (body: Record<string, unknown>, path: DocPath) => {
    const vars = new Map<string, RawValue>();
    const params = new Map<string, RawValue>();
    for (const [key, value] of Object.entries(body)) {
      if (key === 'params' && isPlainObject(value)) {
        for (const [name, v] of Object.entries(value))
          params.set(name, { value: v, ...keyPlace([...path, 'params', name]) });
      } else if (key !== 'name' && key !== 'hosts' && key !== 'children') {
        vars.set(key, { value, ...keyPlace([...path, key]) });
      }
    }
    return { vars, params };
  };
  const all = raw.get('all')!;
  if (isPlainObject(data.defaults)) {
    const { vars, params } = settingsOf(data.defaults, ['defaults']);
    all.vars = vars;
    all.params = params;
  }
  const firstAt = new Map<string, { line: number; col: number }>();
  const hosts = Array.isArray(data.hosts) ? data.hosts : [];
  hosts.forEach((host, index) => {
    if (!isPlainObject(host) || typeof host.name !== 'string') return;
    const path = ['hosts', index];
    const namePlace = place([...path, 'name']);
    const first = firstAt.get(host.name);
    if (first) {
      problems.addAt(
        namePlace.at,
        namePlace.path,
        `host "${host.name}" is defined twice (first at line ${first.line})`,
        'give each host one entry; put shared params in a group',
      );
      return;
    }
    firstAt.set(host.name, namePlace.at);
    all.hosts.push({ name: host.name, ...namePlace, ...settingsOf(host, path) });
  });
  const groups = isPlainObject(data.groups) ? data.groups : {};
  const groupNames = Object.keys(groups);
  for (const [name, body] of Object.entries(groups)) {
    const path = ['groups', name];
    const group = groupNamed(raw, name, keyPlace(path));
    group.isDefined = true;
    if (!isPlainObject(body)) continue;
    const { vars, params } = settingsOf(body, path);
    group.vars = vars;
    group.params = params;
    (Array.isArray(body.hosts) ? body.hosts : []).forEach((hostName, i) => {
      if (typeof hostName !== 'string') return;
      const at = place([...path, 'hosts', i]);
      const host = all.hosts.find((h) => h.name === hostName);
      if (!host) {
        const hint = didYouMean(hostName, firstAt.keys());
        problems.addAt(
          at.at,
          at.path,
          `unknown host "${hostName}" in group "${name}"`,
          hint || 'list the host under hosts: first',
        );
        return;
      }
      group.hosts.push({ ...host, vars: new Map(), params: new Map(), ...at });
    });
    (Array.isArray(body.children) ? body.children : []).forEach((child, i) => {
      if (typeof child !== 'string') return;
      const at = place([...path, 'children', i]);
      if (!(child in groups)) {
        const suggestion = suggestClosest(child, groupNames);
        problems.addAt(
          at.at,
          at.path,
          `unknown group "${child}" in the children of "${name}"`,
          suggestion ? `did you mean "${suggestion}"?` : 'define it under groups:',
        );
        return;
      }
      group.children.push({ name: child, ...at });
    });
  }
  return raw;
}

function allowedKeysAt(path: readonly string[]): string[] {
  if (path.length === 0) return Object.keys(InventoryDoc.shape);
  if (path[0] === 'defaults') return Object.keys(InventoryDefaultsDoc.shape);
  if (path[0] === 'hosts') return Object.keys(InventoryHostDoc.shape);
  if (path[0] === 'groups') return Object.keys(InventoryGroupDoc.shape);
  return [];
}
