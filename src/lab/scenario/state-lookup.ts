import type { CertificateEntry, HostState } from '../host-state.js';

/** Finding things in a host state the way Windows matches them, for scenario changes. */

/** A change that cannot be applied, with what the state does have. */
export class ChangeError extends Error {
  override readonly name = 'ChangeError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The values of a registry key, found case-insensitively (created when asked). */
export function registryKey(
  state: HostState,
  key: string,
  create: boolean,
): Record<string, HostState['registry'][string][string]> {
  const existing = Object.keys(state.registry).find((k) => k.toLowerCase() === key.toLowerCase());
  if (existing) return state.registry[existing]!;
  if (!create) throw new ChangeError(`no registry key ${key}`);
  assertDataKey(key, 'registry key');
  state.registry[key] = {};
  return state.registry[key];
}

/** The stored spelling of a value name, matched case-insensitively. */
export function existingName(values: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(values).find((n) => n.toLowerCase() === name.toLowerCase());
}

/** The item with a name (case-insensitive), or a ChangeError listing the names there are. */
export function named<T extends { name: string }>(items: T[], name: string, what: string): T {
  const item = items.find((i) => i.name.toLowerCase() === name.toLowerCase());
  if (!item) throw new ChangeError(`no ${what} named "${name}"`, listHint(items.map((i) => i.name)));
  return item;
}

/** A certificate store by name (case-insensitive), created when asked. */
export function storeOf(state: HostState, store: string, create: boolean): CertificateEntry[] {
  const existing = Object.keys(state.certificates).find((s) => s.toLowerCase() === store.toLowerCase());
  if (existing) return state.certificates[existing]!;
  if (!create)
    throw new ChangeError(`no certificate store "${store}"`, listHint(Object.keys(state.certificates)));
  assertDataKey(store, 'certificate store');
  state.certificates[store] = [];
  return state.certificates[store];
}

/** The one certificate in a store that `match` picks. */
export function findCertificate(
  state: HostState,
  store: string,
  match: { subject?: string; thumbprint?: string; selfSigned?: boolean } | undefined,
): CertificateEntry {
  const certs = storeOf(state, store, false);
  const found = certs.filter(
    (c) =>
      (match?.subject === undefined || c.subject.toLowerCase() === match.subject.toLowerCase()) &&
      (match?.thumbprint === undefined || c.thumbprint?.toUpperCase() === match.thumbprint.toUpperCase()) &&
      (match?.selfSigned === undefined || (c.selfSigned ?? true) === match.selfSigned),
  );
  if (found.length === 1) return found[0]!;
  const subjects = certs.map((c) => c.subject);
  if (found.length === 0)
    throw new ChangeError(`no certificate in store "${store}" matches`, listHint(subjects));
  throw new ChangeError(
    `${found.length} certificates in store "${store}" match`,
    'add match: { subject: ... } or { thumbprint: ... }',
  );
}

/** Names that are not data in a JavaScript object: a change may never write or walk through them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Throws a ChangeError when a name from a scenario would reach an object's prototype. */
export function assertDataKey(key: string, what: string): void {
  if (RESERVED_KEYS.has(key))
    throw new ChangeError(
      `${what} "${key}" is not allowed`,
      'it names a JavaScript object internal, not host state',
    );
}

/** Sets the value at a JSON pointer whose parent exists, walking only the state's own data. */
export function setPointer(state: HostState, pointer: string, value: unknown): void {
  const parts = pointer
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  for (const part of parts) assertDataKey(part, `path ${pointer}: the part`);
  const last = parts.pop()!;
  let node: unknown = state;
  for (const part of parts) {
    const parent = node as Record<string, unknown>;
    node = Object.hasOwn(parent, part) ? parent[part] : undefined;
    if (typeof node !== 'object' || node === null)
      throw new ChangeError(`path ${pointer} does not exist (stopped at "${part}")`);
  }
  if (Array.isArray(node)) {
    const index = last === '-' ? node.length : Number(last);
    if (!/^(0|[1-9]\d*|-)$/.test(last) || index > node.length)
      throw new ChangeError(
        `path ${pointer}: "${last}" is not an index of that list (0 to ${node.length}, or - to append)`,
      );
    node[index] = value;
  } else {
    (node as Record<string, unknown>)[last] = value;
  }
}

/** "there are: a, b" for messages. */
export function listHint(names: string[]): string {
  return names.length ? `there are: ${names.join(', ')}` : 'there are none';
}
