import type { HostState } from './host-state.js';
import { redactKeyMaterial } from './redact-key-material.js';

/**
 * Compares two host states field by field. Lists are matched by their natural key (services,
 * firewall rules and adapters by name, certificates by thumbprint, events by recordId) and
 * registry keys and value names case-insensitively, as Windows matches them, so a difference
 * reads as `services[TermService].status: "Stopped" -> "Running"`.
 */

/** One difference between two states. */
export interface StateDifference {
  /** Where, e.g. `registry[HKLM:\...\RDP-Tcp].PortNumber.value` or `firewall.rules[RemoteDesktop-UserMode-In-TCP].enabled`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const LIST_KEYS: Record<string, string> = {
  services: 'name',
  'firewall.rules': 'name',
  'firewall.profiles': 'name',
  netAdapters: 'name',
  events: 'recordId',
  scheduledTasks: 'taskName',
};

/** Lists every difference from `a` to `b`; empty means equal. `ignore` names top-level or dotted paths to skip. */
export function compareStates(
  a: HostState,
  b: HostState,
  options: { ignore?: string[] } = {},
): StateDifference[] {
  const ignore = new Set(options.ignore ?? []);
  const out: StateDifference[] = [];
  compareValue(a, b, '', out, ignore);
  return out;
}

/** Formats differences one per line, for CLI output and test messages. */
export function formatDifferences(differences: StateDifference[]): string {
  return differences
    .map((d) => {
      if (d.kind === 'added') return `+ ${d.path}: ${show(d.after)}`;
      if (d.kind === 'removed') return `- ${d.path}: ${show(d.before)}`;
      return `~ ${d.path}: ${show(d.before)} -> ${show(d.after)}`;
    })
    .join('\n');
}

function compareValue(
  a: unknown,
  b: unknown,
  path: string,
  out: StateDifference[],
  ignore: Set<string>,
): void {
  if (ignore.has(path)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    compareList(a, b, path, out, ignore);
    return;
  }
  if (isObject(a) && isObject(b)) {
    const caseless = path === 'registry' || path.startsWith('registry[');
    const keysA = keyMap(a, caseless);
    const keysB = keyMap(b, caseless);
    for (const [norm, keyA] of keysA) {
      const keyB = keysB.get(norm);
      const child = childPath(path, keyA);
      if (ignore.has(child)) continue;
      if (keyB === undefined) out.push({ path: child, kind: 'removed', before: a[keyA] });
      else compareValue(a[keyA], b[keyB], child, out, ignore);
    }
    for (const [norm, keyB] of keysB) {
      const child = childPath(path, keyB);
      if (!keysA.has(norm) && !ignore.has(child)) out.push({ path: child, kind: 'added', after: b[keyB] });
    }
    return;
  }
  if (!Object.is(a, b)) out.push({ path, kind: 'changed', before: a, after: b });
}

function compareList(
  a: unknown[],
  b: unknown[],
  path: string,
  out: StateDifference[],
  ignore: Set<string>,
): void {
  const key = listKey(path, a, b);
  if (!key) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const child = `${path}[${i}]`;
      if (i >= a.length) out.push({ path: child, kind: 'added', after: b[i] });
      else if (i >= b.length) out.push({ path: child, kind: 'removed', before: a[i] });
      else compareValue(a[i], b[i], child, out, ignore);
    }
    return;
  }
  const byKey = (list: unknown[]) =>
    new Map(list.map((item) => [String((item as Record<string, unknown>)[key]), item]));
  const mapA = byKey(a);
  const mapB = byKey(b);
  for (const [id, item] of mapA) {
    const child = `${path}[${id}]`;
    if (!mapB.has(id)) out.push({ path: child, kind: 'removed', before: item });
    else compareValue(item, mapB.get(id), child, out, ignore);
  }
  for (const [id, item] of mapB)
    if (!mapA.has(id)) out.push({ path: `${path}[${id}]`, kind: 'added', after: item });
  const orderA = [...mapA.keys()].filter((id) => mapB.has(id));
  const orderB = [...mapB.keys()].filter((id) => mapA.has(id));
  if (orderA.join('\0') !== orderB.join('\0'))
    out.push({ path: `${path} (order)`, kind: 'changed', before: orderA, after: orderB });
}

/** The key that identifies items of a list at `path`, when every item has a distinct one. */
function listKey(path: string, a: unknown[], b: unknown[]): string | undefined {
  const key = path.startsWith('certificates[') ? 'thumbprint' : LIST_KEYS[path];
  if (!key) return undefined;
  const all = [...a, ...b];
  if (!all.every((item) => isObject(item) && item[key] !== undefined)) return undefined;
  const unique = (list: unknown[]) =>
    new Set(list.map((i) => String((i as Record<string, unknown>)[key]))).size === list.length;
  return unique(a) && unique(b) ? key : undefined;
}

function keyMap(o: Record<string, unknown>, caseless: boolean): Map<string, string> {
  return new Map(Object.keys(o).map((k) => [caseless ? k.toLowerCase() : k, k]));
}

function childPath(path: string, key: string): string {
  if (path === '') return key;
  if (path === 'registry' || path === 'certificates' || /[^A-Za-z0-9_$]/.test(key)) return `${path}[${key}]`;
  return `${path}.${key}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const text = JSON.stringify(redactKeyMaterial(v));
  if (text === undefined) return 'undefined';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
