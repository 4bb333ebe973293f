/** The playbooks shipped in psremedy's `playbooks/` folder, reachable by name from any folder. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The package's `playbooks/` folder, from src/playbook or dist/playbook alike. */
export const SHIPPED_PLAYBOOK_DIR = fileURLToPath(new URL('../../playbooks/', import.meta.url));

/** A shipped playbook: its `name`, `title` and file. */
export interface ShippedPlaybook {
  name: string;
  title: string;
  file: string;
}

/** Every shipped playbook, sorted by name (a file that does not parse is listed under its file name). */
export function listShippedPlaybooks(dir = SHIPPED_PLAYBOOK_DIR): ShippedPlaybook[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('.approval.yaml'));
  return files
    .map((f) => describePlaybook(join(dir, f), f.replace(/\.ya?ml$/, '')))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function describePlaybook(file: string, fallbackName: string): ShippedPlaybook {
  try {
    const doc = parse(readFileSync(file, 'utf8')) as { name?: unknown; title?: unknown } | null;
    const name = typeof doc?.name === 'string' ? doc.name : fallbackName;
    return { name, title: typeof doc?.title === 'string' ? doc.title : '', file };
  } catch {
    return { name: fallbackName, title: '', file };
  }
}

/**
 * The file a playbook argument names: an existing path always wins (as before); otherwise a bare
 * name (`rdp-0x904`) is a shipped playbook's file or `name:`. Anything else is returned as given,
 * so the loader reports the missing file.
 */
export function resolvePlaybookArgument(arg: string, dir = SHIPPED_PLAYBOOK_DIR): string {
  if (existsSync(arg) || !/^[a-z0-9][a-z0-9-]*$/.test(arg)) return arg;
  const byFile = ['.yaml', '.yml'].map((ext) => join(dir, `${arg}${ext}`)).find((f) => existsSync(f));
  return byFile ?? listShippedPlaybooks(dir).find((p) => p.name === arg)?.file ?? arg;
}
