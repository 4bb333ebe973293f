/**
 * Secrets stay secret end to end: the credential variables never reach a script, and a secret
 * param that a script echoes (or PowerShell quotes in a conversion error) is masked in the journal,
 * the NDJSON events, stderr and every report format. Journals are readable by their owner only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/engine/journal-records.js';
import { cli, scratch } from './run-cli-support.js';

const PLAYBOOK = new URL('../fixtures/secrets/secrets.yaml', import.meta.url).pathname;
const PIN = 's3cret-4711-pin';
const PASSWORD = 'Pa55-w0rd-of-ops';

describe('secrets in a run', () => {
  it('never reach a script through the environment and are masked everywhere a script echoes them', {
    timeout: 240_000,
  }, async () => {
    const s = scratch({});
    const env = { PSREMEDY_CREDENTIAL_USER: 'CORP\\ops', PSREMEDY_CREDENTIAL_PASSWORD: PASSWORD };
    const ran = await cli(
      ['run', PLAYBOOK, '-p', `Pin=${PIN}`, '--output', 'ndjson', '--verbose'],
      s.home,
      env,
    );
    expect(ran.stderr).not.toMatch(/internal error/);
    const [runId] = readdirSync(join(s.home, 'runs'));
    const journalPath = join(s.home, 'runs', runId as string, 'journal.jsonl');
    const journalText = readFileSync(journalPath, 'utf8');
    const records = journalText
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JournalRecord);
    const ended = (id: string) => records.find((r) => r.type === 'step-end' && r.stepId === id) as never;

    expect(ended('environment')).toMatchObject({
      status: 'ok',
      result: { user: '', password: '', file: '' },
    });
    expect(ended('echo')).toMatchObject({ status: 'ok', result: { echoed: '********' } });
    expect(JSON.stringify(ended('convert'))).toMatch(/Cannot.*\\"?\*{8}\\"?.*Int32/);

    const reports = await Promise.all(
      ['md', 'html', 'json'].map((format) => cli(['report', runId as string, '--format', format], s.home)),
    );
    for (const [where, text] of [
      ['journal', journalText],
      ['ndjson', ran.stdout],
      ['stderr', ran.stderr],
      ...reports.map((r, i) => [`report ${i}`, r.stdout + r.stderr]),
    ] as const) {
      expect(text, where).not.toContain(PIN);
      expect(text, where).not.toContain(PASSWORD);
    }
    expect(ran.stdout).toContain('********');

    if (process.platform !== 'win32') {
      expect(statSync(journalPath).mode & 0o777).toBe(0o600);
      expect(statSync(join(s.home, 'runs', runId as string)).mode & 0o777).toBe(0o700);
      expect(statSync(join(s.home, 'runs')).mode & 0o777).toBe(0o700);
      expect(statSync(s.home).mode & 0o777).toBe(0o700);
    }
  });
});
