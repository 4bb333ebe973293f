import { UsageError } from '../core/errors.js';
import { editDistance } from '../playbook/did-you-mean.js';
import type { Inventory, InventoryHost } from './inventory-model.js';

/**
 * The hosts a `--limit` pattern selects, as Ansible's host patterns do: names, groups, `all`/`*`,
 * globs (`web*`), `~regex`, subscripts (`web[0]`, `web[0:2]`, ends included), `!` to exclude,
 * `&` to intersect, `,` or `:` between terms. Terms combine as Ansible orders them: the plain
 * ones first (their union, or all hosts when there is none), then every `&`, then every `!`.
 * The result keeps inventory order. A term that matches nothing is a UsageError naming the
 * nearest hosts and groups (a misspelt `!name` would otherwise include the host it meant to keep out).
 */
export function selectHosts(inventory: Inventory, limit?: string): InventoryHost[] {
  if (limit === undefined || limit.trim() === '') return [...inventory.hosts];
  const terms = splitPattern(limit);
  if (terms.length === 0) throw new UsageError(`--limit "${limit}" names no host or group`);
  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  let selected = new Set<string>();
  if (plain.length === 0) selected = new Set(inventory.hosts.map((h) => h.name));
  for (const term of plain) for (const name of matchTerm(inventory, term)) selected.add(name);
  for (const term of terms.filter((t) => t.startsWith('&'))) {
    const other = matchTerm(inventory, term.slice(1), term);
    selected = new Set([...selected].filter((n) => other.has(n)));
  }
  for (const term of terms.filter((t) => t.startsWith('!')))
    for (const name of matchTerm(inventory, term.slice(1), term)) selected.delete(name);
  const hosts = inventory.hosts.filter((h) => selected.has(h.name));
  if (hosts.length === 0)
    throw new UsageError(`--limit "${limit}" selects no host (its terms exclude every host they include)`);
  return hosts;
}

// Splits on commas, or on colons when there is no comma (Ansible's older separator), outside [ ].
function splitPattern(pattern: string): string[] {
  const separator = pattern.includes(',') ? ',' : ':';
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of pattern) {
    if (c === '[') depth++;
    if (c === ']') depth = Math.max(0, depth - 1);
    if (c === separator && depth === 0) {
      terms.push(current);
      current = '';
    } else current += c;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function matchTerm(inventory: Inventory, term: string, written: string = term): Set<string> {
  const found = findTerm(inventory, term);
  if (found.size === 0) throw new UsageError(noMatchMessage(inventory, term, written));
  return found;
}

function findTerm(inventory: Inventory, term: string): Set<string> {
  const hostNames = inventory.hosts.map((h) => h.name);
  if (term === 'all' || term === '*') return new Set(hostNames);
  const group = inventory.groups.get(term);
  if (group) return new Set(group.hosts);
  if (hostNames.includes(term)) return new Set([term]);
  const subscript = /^(.+)\[(-?\d+)(?::(-?\d*))?\]$/.exec(term);
  if (subscript && inventory.groups.has(subscript[1]!))
    return pickSubscript(inventory.groups.get(subscript[1]!)!.hosts, subscript);
  const test = term.startsWith('~')
    ? regexTest(term.slice(1))
    : /[*?[]/.test(term)
      ? globTest(term)
      : undefined;
  if (!test) return new Set();
  const found = new Set<string>();
  for (const g of inventory.groups.values()) if (test(g.name)) for (const h of g.hosts) found.add(h);
  for (const h of hostNames) if (test(h)) found.add(h);
  return found;
}

function pickSubscript(hosts: string[], match: RegExpExecArray): Set<string> {
  const index = (text: string) => {
    const n = Number(text);
    return n < 0 ? hosts.length + n : n;
  };
  const start = index(match[2]!);
  if (match[3] === undefined) return new Set(hosts[start] === undefined ? [] : [hosts[start]!]);
  const end = match[3] === '' ? hosts.length - 1 : index(match[3]);
  return new Set(hosts.slice(start, end + 1));
}

function regexTest(source: string): ((name: string) => boolean) | undefined {
  try {
    const regex = new RegExp(source);
    return (name) => regex.test(name);
  } catch (error) {
    throw new UsageError(
      `--limit "~${source}" is not a valid regular expression: ${(error as Error).message}`,
    );
  }
}

// fnmatch: * any run, ? one character, [abc] a set, as Python's fnmatch that Ansible uses.
function globTest(glob: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) source += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}

function noMatchMessage(inventory: Inventory, term: string, written: string): string {
  const word = term.replace(/^[~]/, '').toLowerCase();
  const candidates = [
    ...inventory.hosts.map((h) => ({ label: h.name, name: h.name })),
    ...[...inventory.groups.keys()]
      .filter((g) => g !== 'all')
      .map((g) => ({ label: `${g} (group)`, name: g })),
  ];
  const nearest = candidates
    .map((c) => ({ ...c, distance: editDistance(word, c.name.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((c) => c.label);
  return `--limit "${written}" matches no host or group in ${inventory.file}${nearest.length > 0 ? `; nearest: ${nearest.join(', ')}` : ''}`;
}
