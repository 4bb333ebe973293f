import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `lab/` folder (module, hosts, scenarios, stand-in ssh), from src/lab or dist/lab alike. */
export const LAB_ROOT = fileURLToPath(new URL('../../lab/', import.meta.url));

/** Where shipped scenarios live. */
export const SCENARIO_DIR = join(LAB_ROOT, 'scenarios');

/** Where base host states live (`base: healthy` is `lab/hosts/healthy.json`). */
export const HOSTS_DIR = join(LAB_ROOT, 'hosts');

/** The folder holding the stand-in `ssh` that is put first on a lab session's PATH. */
export const LAB_BIN_DIR = join(LAB_ROOT, 'bin');

/** The module an `-sshs` lab host loads at start (PSREMEDY_SSHS_STARTUP takes a .psm1 or .ps1). */
export function labServerModule(): string {
  return join(LAB_ROOT, 'module', 'PSRemedyLab.psm1');
}

/** The client-side module (Resolve-DnsName, Test-NetConnection over the lab), when it exists. */
export function labClientModule(): string | undefined {
  const candidates = ['PSRemedyLabClient.psm1', 'PSRemedyLabClient.ps1'].map((f) =>
    join(LAB_ROOT, 'module', f),
  );
  return candidates.find((f) => existsSync(f));
}
