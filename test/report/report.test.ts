import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewJournalRecord } from '../../src/engine/journal-records.js';
import { buildReport, RunReport, renderReport } from '../../src/report/index.js';
import { rolledBackRun, stamp } from './journal-fixture.js';

const root = new URL('../../', import.meta.url).pathname;

describe('run reports', () => {
  it('builds the outcome, ranked causes and the fate of every change from the journal alone', () => {
    const report = buildReport(stamp(rolledBackRun()));
    expect(report.outcome).toBe('rolledBack');
    expect(report.causes.filter((c) => c.detected).map((c) => c.cause)).toEqual([
      'firewall-closed',
      'cert-expired',
    ]);
    expect(report.changes.map((c) => [c.stepId, c.status, c.verified])).toEqual([
      ['firewall', 'revertUnverified', true],
      ['cert', 'rolledBack', false],
    ]);
    expect(report.steps.map((s) => `${s.stepId}:${s.status}`)).toEqual([
      'tcp:ok',
      'firewall:changed',
      'cert:failed',
    ]);
    expect(report.steps[1]?.decision).toEqual({ decision: 'apply', by: 'yes' });
    expect(report.target).toBe('admin@SRV01 (ssh)');
    expect(RunReport.safeParse(report).success).toBe(true);
  });

  it('lists the causes as diagnosed and marks those a fix cleared, not the empty ranking after the fixes', () => {
    const records: NewJournalRecord[] = rolledBackRun().filter((r) => r.type !== 'run-end');
    const firstRanking = records.find((r) => r.type === 'causes');
    if (firstRanking?.type !== 'causes') throw new Error('fixture has no ranking');
    records.push(
      {
        type: 'causes',
        ranked: firstRanking.ranked.map((c) => ({ ...c, detected: c.cause === 'cert-expired' })),
      },
      {
        type: 'run-end',
        outcome: 'problemsRemain',
        counts: {
          ok: 1,
          changed: 1,
          skipped: 0,
          failed: 1,
          rolledBack: 0,
          revertUnverified: 0,
          rollbackFailed: 0,
        },
        remaining: ['cert-expired'],
        fixed: ['firewall'],
        durationMs: 1000,
      },
    );
    const report = buildReport(stamp(records));
    expect(report.causes.filter((c) => c.detected).map((c) => [c.cause, c.remains])).toEqual([
      ['firewall-closed', false],
      ['cert-expired', true],
    ]);
    expect(renderReport(stamp(records), 'md')).toContain('(`firewall-closed`, 91%, 2 findings) — cleared');
  });

  it('reports a journal without an end record as crashed, with the change it was making', () => {
    const records = rolledBackRun();
    const cut = records.findIndex((r) => r.type === 'applied' && r.stepId === 'cert');
    const report = buildReport(stamp(records.slice(0, cut)));
    expect(report.outcome).toBe('crashed');
    expect(report.changes.find((c) => c.stepId === 'cert')?.status).toBe('intentOnly');
    expect(report.steps.at(-1)).toMatchObject({ stepId: 'cert', status: 'unfinished' });
    expect(report.fixed).toEqual(['firewall']);
  });

  it('writes Markdown with the causes, before and after of each change, and the timeline', () => {
    const md = renderReport(stamp(rolledBackRun()), 'md');
    expect(md).toContain(
      '1. **The inbound Remote Desktop firewall rule is disabled** (`firewall-closed`, 91%, 2 findings) — still present',
    );
    expect(md).toContain('"thumbprint": "OLD"');
    expect(md).toContain('rollback (run) of cert, firewall: cert failed its verify');
    expect(md).not.toMatch(/dns-mismatch/);
    expect(md).toContain(
      '> **Check by hand:** these changes may still be in place: firewall (revertUnverified)',
    );
  });

  it('writes HTML that escapes every value and cannot reach the network', () => {
    const html = renderReport(stamp(rolledBackRun()), 'html');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain(`default-src 'none'`);
    expect(html).not.toMatch(/\b(src|href)=/);
  });

  it('renders the HTML report in headless Chromium with the causes and timeline readable', () => {
    const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    if (!chromium) {
      console.warn('skipped: Debian chromium is not installed (.ci/run installs it)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'psremedy-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport(stamp(rolledBackRun()), 'html'));
    const profile = join(dir, 'profile');
    mkdirSync(profile);
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];
    const quiet = ['--disable-background-networking', '--disable-component-update', '--disable-sync'];
    const r = spawnSync(
      chromium,
      [...flags, ...quiet, `--user-data-dir=${profile}`, '--dump-dom', `file://${file}`],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const text = r.stdout.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Changes were rolled back');
    expect(text).toContain('The inbound Remote Desktop firewall rule is disabled firewall-closed');
    expect(text).toContain('rollback ended: revertUnverified');
    expect(text).toContain(
      'Check by hand: these changes may still be in place: Open the firewall rule (firewall: revertUnverified)',
    );
    expect(r.stdout).not.toContain('<script>');
  });

  it('puts the summary first in HTML and Markdown, and screenshots and prints the HTML at 1280 and 800 px', () => {
    const records = stamp(rolledBackRun());
    const html = renderReport(records, 'html');
    const order = ['id="summary"', 'id="evidence"', 'id="changes"', 'id="steps"', 'id="timeline"'].map((s) =>
      html.indexOf(s),
    );
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
    const md = renderReport(records, 'md');
    expect(md.indexOf('## Summary')).toBeLessThan(md.indexOf('## Evidence'));
    expect(md).toMatch(
      /\| The inbound Remote Desktop firewall rule is disabled \(`firewall-closed`\) \| 91% \| \*\*remains\*\*/,
    );
    expect(md).toContain('Exit code 3: changes were rolled back.');
    const json = JSON.parse(renderReport(records, 'json')) as RunReport;
    expect(json.recap.exitCode).toBe(3);
    expect(json.recap.causes.map((c) => c.fate)).toEqual(['remains', 'remains']);

    const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    if (!chromium) {
      console.warn('skipped the screenshots: Debian chromium is not installed (.ci/run installs it)');
      return;
    }
    const out = join(root, 'test-output', 'report');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'report.html');
    writeFileSync(file, html);
    const profile = mkdtempSync(join(tmpdir(), 'psremedy-chromium-'));
    const base = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--hide-scrollbars'];
    const quiet = ['--disable-background-networking', '--disable-component-update', '--disable-sync'];
    const chrome = (args: string[]) =>
      spawnSync(chromium, [...base, ...quiet, `--user-data-dir=${profile}`, ...args, `file://${file}`], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    for (const width of [1280, 800]) {
      const png = join(out, `report-${width}.png`);
      const r = chrome([`--window-size=${width},1600`, `--screenshot=${png}`]);
      expect(r.status, r.stderr).toBe(0);
      // PNG IHDR: the width is the big-endian word at byte 16.
      expect(readFileSync(png).readUInt32BE(16)).toBe(width);
    }
    const pdf = join(out, 'report.pdf');
    const printed = chrome(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`]);
    expect(printed.status, printed.stderr).toBe(0);
    expect(
      readFileSync(pdf)
        .toString('latin1')
        .match(/\/Type\s*\/Page[^s]/g)?.length,
    ).toBeGreaterThan(0);
    console.log(`report screenshots and PDF: ${out}`);
  });
});
