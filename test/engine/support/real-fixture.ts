/** The engine fixture playbook (test/fixtures/engine) run by real PowerShell, its state in a JSON file. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/engine/events.js';
import type { RunPlaybookOptions } from '../../../src/engine/run-playbook.js';
import type { SessionProvider } from '../../../src/engine/session-provider.js';
import { loadPlaybook } from '../../../src/playbook/load-playbook.js';
import { resolveParams } from '../../../src/playbook/resolve-params.js';
import { scriptedDecider } from './settings-fixture.js';

/** The fixture playbook's path. */
export const FIXTURE_PLAYBOOK = new URL('../../fixtures/engine/settings.yaml', import.meta.url).pathname;

/** A fresh state file and state folder, and runPlaybook options for the fixture. */
export async function prepareFixtureRun(
  sessions: SessionProvider,
  state: Record<string, number>,
  params: Record<string, string> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-real-'));
  const statePath = join(dir, 'state.json');
  writeFileSync(statePath, JSON.stringify(state));
  const playbook = await loadPlaybook(FIXTURE_PLAYBOOK);
  const resolved = await resolveParams(playbook, { StatePath: statePath, ...params });
  const events: EngineEvent[] = [];
  const options: RunPlaybookOptions = {
    playbook,
    params: resolved,
    sessions,
    targets: { client: { kind: 'local' }, target: { kind: 'local' } },
    stateDir: join(dir, 'state'),
    decider: scriptedDecider({}).decider,
    onEvent: (e) => events.push(e),
    mode: { interactive: false, yes: true },
    psremedyVersion: 'test',
  };
  const readState = () => JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, number>;
  return { dir, statePath, options, events, readState };
}
