import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, scratch } from './run-cli-support.js';

const EXAMPLE = new URL('../../playbooks/example-settings.yaml', import.meta.url).pathname;
const mode = (path: string) => statSync(path).mode & 0o777;

describe('the state dir: owner-only, and nothing reaches outside it', () => {
  const isPosix = process.platform !== 'win32';

  it('creates the state dir, runs/, each run folder and its journal owner-only', {
    skip: !isPosix,
    timeout: 180_000,
  }, async () => {
    const s = scratch({});
    const settings = join(s.dir, 'settings.ini');
    writeFileSync(settings, 'LogLevel=Debug\n');
    const r = await cli(['run', EXAMPLE, '--yes', '-p', `SettingsPath=${settings}`], s.home);
    expect(r.status, r.stderr).toBe(0);
    const [runId] = readdirSync(join(s.home, 'runs'));
    expect(mode(s.home)).toBe(0o700);
    expect(mode(join(s.home, 'runs'))).toBe(0o700);
    expect(mode(join(s.home, 'runs', runId!))).toBe(0o700);
    expect(mode(join(s.home, 'runs', runId!, 'journal.jsonl'))).toBe(0o600);
    expect(mode(join(s.home, 'locks'))).toBe(0o700);

    // report --out: owner-only, never inside runs/ (the journals), never through a symlink.
    const out = join(s.dir, 'report.html');
    expect((await cli(['report', runId!, '--format', 'html', '--out', out], s.home)).status).toBe(0);
    expect(mode(out)).toBe(0o600);
    const intoRuns = await cli(
      ['report', runId!, '--out', join(s.home, 'runs', runId!, 'report.md')],
      s.home,
    );
    expect(intoRuns.status).toBe(2);
    expect(intoRuns.stderr).toMatch(/is inside .*runs, where the run journals live/);
    const ontoJournal = await cli(
      ['report', runId!, '--out', join(s.home, 'runs', runId!, 'journal.jsonl')],
      s.home,
    );
    expect(ontoJournal.status).toBe(2);
    expect(ontoJournal.stderr).toMatch(/is the run's journal; the report never overwrites it/);
    expect(readFileSync(join(s.home, 'runs', runId!, 'journal.jsonl'), 'utf8')).toMatch(/"type":"run-end"/);
    const victim = join(s.dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    symlinkSync(victim, join(s.dir, 'link.md'));
    const viaLink = await cli(['report', runId!, '--out', join(s.dir, 'link.md')], s.home);
    expect(viaLink.status).toBe(2);
    expect(viaLink.stderr).toMatch(/is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it.each([
    ['rollback', '../../outside'],
    ['resume', '../outside'],
    ['report', '../runs/../../outside'],
    ['rollback', '/etc'],
    ['rollback', 'a/b'],
    ['report', '..'],
  ])('refuses %s %s: a run id names a folder of runs/, never a path', async (command, runId) => {
    const s = scratch({});
    // A journal where an escaping id would find one: it must not be read.
    mkdirSync(join(s.dir, 'outside'), { recursive: true });
    writeFileSync(join(s.dir, 'outside', 'journal.jsonl'), '');
    const r = await cli([command, runId], s.home);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`"${runId}" is not a run id`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
