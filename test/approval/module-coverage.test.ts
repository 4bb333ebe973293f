/** Every module a run would send is a file the approval bundle covers, for each shipped playbook. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectBundle, toBundlePath } from '../../src/approval/bundle.js';
import { listScriptPaths } from '../../src/approval/playbook-scripts.js';
import { listScriptModules, loadPlaybook } from '../../src/playbook/index.js';

const playbooks = fileURLToPath(new URL('../../playbooks/', import.meta.url));
const shipped = readdirSync(playbooks).filter((f) => f.endsWith('.yaml'));

describe('the approval bundle of a shipped playbook', () => {
  it.each(shipped)('%s covers every shared module its scripts declare', async (name) => {
    const playbook = await loadPlaybook(join(playbooks, name));
    const bundle = collectBundle(playbook.file, readFileSync(playbook.file), listScriptPaths(playbook.doc));
    const covered = new Map(bundle.files.map((f) => [f.path, f.sha256]));
    for (const [path, module] of listScriptModules(playbook.scripts.values()))
      expect(covered.get(toBundlePath(playbook.dir, path)), path).toBe(module.sha256);
  });

  it('includes the certificate module for rdp-0x904 (the check above is not vacuous)', async () => {
    const playbook = await loadPlaybook(join(playbooks, 'rdp-0x904.yaml'));
    expect([...listScriptModules(playbook.scripts.values()).values()].map((m) => m.name)).toContain(
      'RdpCertificate',
    );
  });
});
