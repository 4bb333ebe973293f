import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureHostBuilt } from '../src/powershell/build-host.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds dist/ and the PowerShell host once so end-to-end tests drive the same CLI users run. */
export default async function setup(): Promise<void> {
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  await ensureHostBuilt(root);
}
