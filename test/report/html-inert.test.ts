import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { rolledBackRun, stamp } from './journal-fixture.js';

// Each payload, if it became markup, would mark the page (an attribute on <html>) or add an element.
const PAYLOADS = [
  `<script>document.documentElement.setAttribute('data-pwned','script')</script>`,
  `</style><script>document.documentElement.setAttribute('data-pwned','style')</script><style>`,
  `</title><img src=x onerror="document.documentElement.setAttribute('data-pwned','img')">`,
  `<style>body{display:none}</style>`,
  `"><svg onload="document.documentElement.setAttribute('data-pwned','svg')">`,
  `<!-- </pre> --><iframe srcdoc="<b>x</b>"></iframe>`,
];
const PAYLOAD = PAYLOADS.join(' ');

/** The fixture run with the payload in every finding's evidence, every step title and every string result. */
function hostileRun() {
  const poison = (value: unknown, key = ''): unknown => {
    if (typeof value === 'string')
      return ['evidence', 'title', 'message', 'reason', 'note'].includes(key) ? `${value} ${PAYLOAD}` : value;
    if (Array.isArray(value)) return value.map((v) => poison(v, key));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
    return value;
  };
  return stamp(rolledBackRun().map((r) => poison(r) as typeof r));
}

describe('the HTML report with hostile evidence', () => {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

  it('keeps <script>, </style> and event handlers as text in headless Chromium', {
    skip: !chromium,
    timeout: 120_000,
  }, () => {
    const html = renderReport(hostileRun(), 'html');
    const dir = mkdtempSync(join(tmpdir(), 'psremedy-inert-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const profile = join(dir, 'profile');
    mkdirSync(profile);
    const r = spawnSync(
      chromium!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const dom = r.stdout;
    // No payload ran, and none became an element: the page has only the report's own style.
    expect(dom).not.toMatch(/<html[^>]*data-pwned/);
    expect(dom.match(/<(script|img|svg|iframe)\b/gi) ?? []).toEqual([]);
    expect(dom.match(/<style\b/gi)?.length).toBe(1);
    // The payload is there, shown as the text it is.
    const text = dom
      .replace(/<[^>]+>/g, '')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
    expect(text).toContain(PAYLOADS[1]!);
    expect(text).toContain('Changes were rolled back');
  });
});
