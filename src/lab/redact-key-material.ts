/**
 * Lab host states carry their certificates' private keys (`keyPem`) so the lab's RDP listener can
 * speak real TLS. Those keys stay in the state files and the lab's key cache: everything the lab
 * shows a person or a tool goes through here first.
 */

/** What is shown in place of a private key. */
export const WITHHELD_KEY = '(private key withheld)';

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----\s*/g;

/** A deep copy of a value in which every `keyPem` field and every PEM private key is withheld. */
export function redactKeyMaterial<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(PEM_PRIVATE_KEY, WITHHELD_KEY);
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value))
    copy[key] = key === 'keyPem' ? WITHHELD_KEY : redact(field);
  return copy;
}
