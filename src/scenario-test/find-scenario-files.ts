/** `--scenarios <dir|files...>` and `--only <names>`: the scenario files to test, in name order. */
import { stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { listScenarioNames } from '../lab/scenario/scenario-loader.js';
import { didYouMean } from '../playbook/did-you-mean.js';

/** Expands folders into their `*.yaml` scenarios, keeps files as given, then keeps only `only` (by name). */
export async function findScenarioFiles(paths: string[], only: string[] = []): Promise<string[]> {
  if (paths.length === 0)
    throw new UsageError('--scenarios needs a folder or scenario files (e.g. --scenarios lab/scenarios)');
  const files: string[] = [];
  for (const given of paths) {
    const path = resolve(given);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`--scenarios ${given}: no such file or folder`);
    if (info.isDirectory()) {
      const names = await listScenarioNames(path);
      if (names.length === 0)
        throw new UsageError(`--scenarios ${given}: the folder has no *.yaml scenarios`);
      files.push(...names.map((n) => join(path, `${n}.yaml`)));
    } else files.push(path);
  }
  const unique = [...new Set(files)];
  if (only.length === 0) return unique;
  const nameOf = (f: string) => basename(f, extname(f));
  const names = unique.map(nameOf);
  const unknown = only.filter((o) => !names.includes(o));
  if (unknown.length > 0) {
    const hints = unknown.map((u) => didYouMean(u, names)).filter(Boolean);
    throw new UsageError(
      `--only ${unknown.join(', ')}: no such scenario among ${names.join(', ')}${hints.length ? `; ${hints.join('; ')}` : ''}`,
    );
  }
  return unique.filter((f) => only.includes(nameOf(f)));
}
