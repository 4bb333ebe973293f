/**
 * The cause ids a playbook's findings may name: its own `causes:`, and those of the shipped
 * playbooks. The single-fix playbooks reuse the flagship's diagnose scripts, whose findings name
 * the flagship's causes (a firewall playbook's port check still says when the service is stopped);
 * those rank under their id. Anything else is a typo or a cause nobody declared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PlaybookDoc } from './schema.js';
import { SHIPPED_PLAYBOOK_DIR } from './shipped-playbooks.js';

let shipped: Set<string> | undefined;

/** Every cause id a shipped playbook declares (read once). */
export function shippedCauseIds(dir = SHIPPED_PLAYBOOK_DIR): Set<string> {
  if (shipped && dir === SHIPPED_PLAYBOOK_DIR) return shipped;
  const ids = new Set<string>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('.approval.yaml'));
  } catch {
    // No shipped playbooks beside this build: only the playbook's own causes count.
  }
  for (const file of files) {
    try {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as { causes?: Array<{ id?: unknown }> } | null;
      for (const cause of doc?.causes ?? []) if (typeof cause?.id === 'string') ids.add(cause.id);
    } catch {
      // A shipped playbook that does not parse declares nothing here; validate reports it.
    }
  }
  if (dir === SHIPPED_PLAYBOOK_DIR) shipped = ids;
  return ids;
}

/** True when a finding of `doc`'s scripts may name `cause`. */
export function isKnownCause(doc: Pick<PlaybookDoc, 'causes'>, cause: string): boolean {
  return doc.causes.some((c) => c.id === cause) || shippedCauseIds().has(cause);
}
