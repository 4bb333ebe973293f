import type { ProblemList } from '../playbook/problem-list.js';
import type { InventoryGroup } from './inventory-model.js';
import type { RawInventory, RawPlace, RawValue } from './raw-inventory.js';

/** A host after merging: its variables and params with where each winning value was written. */
export interface MergedHost extends RawPlace {
  name: string;
  vars: Map<string, RawValue>;
  params: Map<string, RawValue>;
  /** Its groups and their ancestors, sorted, without `all`. */
  groups: string[];
}

/**
 * Merges variables as Ansible does: groups ordered by depth (all, then parents, then children),
 * then ansible_group_priority, then name; each later group overrides; host vars override all.
 * Groups a host is in: where it is listed, their ancestors, `ungrouped` when it is in none.
 */
export function resolveGroups(
  raw: RawInventory,
  problems: ProblemList,
  hostFileVars: ReadonlyMap<string, Map<string, RawValue>> = new Map(),
): { hosts: MergedHost[]; groups: Map<string, InventoryGroup> } {
  const parents = parentsOf(raw);
  const depth = depthsOf(raw, parents, problems);
  const direct = new Map<
    string,
    { place: RawPlace; groups: Set<string>; vars: Map<string, RawValue>; params: Map<string, RawValue> }
  >();
  for (const group of raw.values()) {
    for (const entry of group.hosts) {
      let host = direct.get(entry.name);
      if (!host) {
        host = {
          place: { at: entry.at, path: entry.path },
          groups: new Set(),
          vars: new Map(),
          params: new Map(),
        };
        direct.set(entry.name, host);
      }
      if (isBefore(entry.at, host.place.at)) host.place = { at: entry.at, path: entry.path };
      host.groups.add(group.name);
      for (const [k, v] of entry.vars) host.vars.set(k, v);
      for (const [k, v] of entry.params) host.params.set(k, v);
    }
  }
  const hosts: MergedHost[] = [];
  // Inventory order is file order, as Ansible adds hosts while it reads (a range keeps its order).
  const inFileOrder = [...direct].sort(
    ([, a], [, b]) => a.place.at.line - b.place.at.line || a.place.at.col - b.place.at.col,
  );
  for (const [name, host] of inFileOrder) {
    const own = [...host.groups].filter((g) => g !== 'all' && g !== 'ungrouped');
    const listed = own.length === 0 ? ['ungrouped'] : own;
    const all = ancestorsOf(listed, parents);
    const ordered = [...all].sort(
      (a, b) =>
        (depth.get(a) ?? 0) - (depth.get(b) ?? 0) ||
        priorityOf(raw, a) - priorityOf(raw, b) ||
        a.localeCompare(b),
    );
    const vars = new Map<string, RawValue>();
    const params = new Map<string, RawValue>();
    const chain = ['all', ...ordered].map((g) => raw.get(g)).filter((g) => g !== undefined);
    for (const group of chain) {
      for (const [k, v] of group.vars) vars.set(k, v);
      for (const [k, v] of group.params) params.set(k, v);
    }
    // Ansible's precedence: inventory group vars < group_vars/all < group_vars/* < inventory host vars < host_vars/*.
    for (const group of chain) for (const [k, v] of group.fileVars ?? []) vars.set(k, v);
    for (const [k, v] of host.vars) vars.set(k, v);
    for (const [k, v] of host.params) params.set(k, v);
    for (const [k, v] of hostFileVars.get(name) ?? []) vars.set(k, v);
    hosts.push({ name, ...host.place, vars, params, groups: [...all].sort() });
  }
  const groups = new Map<string, InventoryGroup>();
  for (const group of raw.values())
    groups.set(group.name, { name: group.name, hosts: [], children: group.children.map((c) => c.name) });
  if (!groups.has('ungrouped')) groups.set('ungrouped', { name: 'ungrouped', hosts: [], children: [] });
  for (const host of hosts) {
    groups.get('all')!.hosts.push(host.name);
    for (const g of host.groups) groups.get(g)?.hosts.push(host.name);
  }
  return { hosts, groups };
}

function isBefore(a: { line: number; col: number }, b: { line: number; col: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}

function parentsOf(raw: RawInventory): Map<string, Set<string>> {
  const parents = new Map<string, Set<string>>();
  for (const group of raw.values())
    for (const child of group.children) {
      if (!parents.has(child.name)) parents.set(child.name, new Set());
      parents.get(child.name)!.add(group.name);
    }
  return parents;
}

function ancestorsOf(start: string[], parents: Map<string, Set<string>>): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name === 'all' || seen.has(name)) continue;
    seen.add(name);
    for (const parent of parents.get(name) ?? []) queue.push(parent);
  }
  return seen;
}

// Depth as Ansible counts it: all is 0, a group is one deeper than its deepest parent.
function depthsOf(
  raw: RawInventory,
  parents: Map<string, Set<string>>,
  problems: ProblemList,
): Map<string, number> {
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const reported = new Set<string>();
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (name === 'all') return 0;
    if (visiting.has(name)) {
      const group = raw.get(name);
      if (group && !reported.has(name)) {
        reported.add(name);
        problems.addAt(
          group.at,
          group.path,
          `group "${name}" is its own ancestor (children form a loop)`,
          'remove one of the children: entries of the loop',
        );
      }
      return 0;
    }
    visiting.add(name);
    let d = 1;
    for (const parent of parents.get(name) ?? []) d = Math.max(d, visit(parent) + 1);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const name of raw.keys()) visit(name);
  return depth;
}

function priorityOf(raw: RawInventory, name: string): number {
  const value = raw.get(name)?.vars.get('ansible_group_priority')?.value;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 1;
}
