import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { resolveScriptPath } from '../playbook/script-files.js';
import { canonicalize } from './canonical-json.js';
import { type DynamicReference, findScriptReferences, isScannedScript } from './script-references.js';

/** One covered file: its path relative to the playbook's folder (`/` separators) and its hash. */
export interface BundleFile {
  path: string;
  sha256: string;
  size: number;
}

/** The files a playbook can reach, read once: what an approval signs and a run executes. */
export interface CollectedBundle {
  /** Every covered file, sorted by path; the playbook itself is one of them. */
  files: BundleFile[];
  /** `sha256:<hex>` over the canonical JSON of `files`. */
  digest: string;
  /** The bytes that were hashed, by absolute path: the only copy a run may use. */
  bytes: Map<string, Buffer>;
  /** Referenced files that do not exist (a file created there later fails verification). */
  missing: string[];
  /** References built from variables: not covered. */
  dynamic: DynamicReference[];
}

/** The path of a file as an approval names it: relative to the playbook folder, `/` separators. */
export function toBundlePath(playbookDir: string, file: string): string {
  return relative(playbookDir, file).split(sep).join('/');
}

/** `sha256:<hex>` of the canonical JSON of a file list. */
export function digestFiles(files: BundleFile[]): string {
  return `sha256:${createHash('sha256').update(canonicalize(files)).digest('hex')}`;
}

/** The hex sha256 of some bytes. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function listFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      return entry.isDirectory() ? listFilesUnder(full) : [full];
    });
}

/**
 * Reads the playbook and every file it can reach: the scripts it names (`script`, `test`,
 * `apply`, `undo`), then, transitively, whatever those dot-source, call, import or list in a
 * manifest by a relative path. A referenced folder (a module folder) is covered whole.
 * `playbookBytes` are the bytes already read for the playbook, and `known` holds files already
 * read (by absolute path), so nothing is read twice.
 */
export function collectBundle(
  playbookFile: string,
  playbookBytes: Buffer,
  scriptPaths: string[],
  known: ReadonlyMap<string, Buffer> = new Map(),
): CollectedBundle {
  const playbookPath = resolve(playbookFile);
  const playbookDir = dirname(playbookPath);
  const bytes = new Map<string, Buffer>([[playbookPath, playbookBytes]]);
  const missing = new Set<string>();
  const dynamic: DynamicReference[] = [];
  const queue = scriptPaths.map((p) => resolveScriptPath(playbookDir, p));
  const seen = new Set<string>([playbookPath]);
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const already = known.get(file);
    let isDirectory = false;
    try {
      if (!already) isDirectory = statSync(file).isDirectory();
    } catch {
      missing.add(toBundlePath(playbookDir, file));
      continue;
    }
    if (isDirectory) {
      queue.push(...listFilesUnder(file));
      continue;
    }
    const content = already ?? readFileSync(file);
    bytes.set(file, content);
    if (!isScannedScript(file)) continue;
    const found = findScriptReferences(content.toString('utf8').replace(/^\uFEFF/, ''), file);
    dynamic.push(...found.dynamic.map((d) => ({ ...d, file: toBundlePath(playbookDir, d.file) })));
    queue.push(...found.paths);
  }
  const files = [...bytes]
    .map(([file, content]) => ({
      path: toBundlePath(playbookDir, file),
      sha256: sha256Hex(content),
      size: content.length,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, digest: digestFiles(files), bytes, missing: [...missing].sort(), dynamic };
}

/** How a bundle on disk differs from the approved one, by bundle path. */
export interface BundleDifference {
  changed: string[];
  added: string[];
  missing: string[];
}

/** Compares approved and current file lists; all three lists empty means identical. */
export function diffBundles(approved: BundleFile[], current: BundleFile[]): BundleDifference {
  const now = new Map(current.map((f) => [f.path, f]));
  const then = new Map(approved.map((f) => [f.path, f]));
  return {
    changed: approved
      .filter((f) => now.has(f.path) && now.get(f.path)?.sha256 !== f.sha256)
      .map((f) => f.path),
    added: current.filter((f) => !then.has(f.path)).map((f) => f.path),
    missing: approved.filter((f) => !now.has(f.path)).map((f) => f.path),
  };
}
