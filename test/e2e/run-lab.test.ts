/**
 * `psremedy run <flagship> --lab <scenario>` end to end: diagnose, fix, verify on a simulated host
 * reached over real remoting; then `psremedy rollback` puts the host's state back exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, scratch, startCli, waitForLabStart } from './run-cli-support.js';

const FLAGSHIP = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;

describe('psremedy run --lab', () => {
  it('fixes a closed firewall on a lab host, and rollback restores the host state exactly', {
    timeout: 480_000,
  }, async () => {
    const s = scratch({});
    const started = startCli(
      ['run', FLAGSHIP, '--lab', 'firewall-closed', '--yes', '--output', 'ndjson'],
      s.home,
    );
    const { statePath, original } = await waitForLabStart(s.home);
    const ran = await started.done;
    expect(ran.stderr).toContain(`state ${statePath}`);
    const summary = JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary).toMatchObject({ type: 'summary', outcome: 'changed', fixed: ['open_firewall'] });
    expect(summary.causes[0]).toMatchObject({ cause: 'firewall-closed', detected: true });
    expect(ran.status).toBe(0);
    expect(readFileSync(statePath).equals(original)).toBe(false);

    const rolledBack = await cli(['rollback', summary.runId], s.home);
    expect(rolledBack.stdout).toMatch(/undo open_firewall: rolled back/);
    expect(rolledBack.status).toBe(0);
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual(JSON.parse(original.toString('utf8')));
  });
});
