/**
 * The server-side checks under the cultures of a Finnish, Danish and German admin: a remote session
 * takes the client's culture, and fi-FI / da-DK format the time with '.' (so a custom date format
 * with ':' comes out as 10.20.30 and no longer parses). Dates must be culture-invariant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeState, writeScenarioState } from './support/lab-state.js';
import { type Finding, openScriptSession, type ScriptSession, strongest } from './support/script-session.js';

describe.each(['fi_FI', 'da_DK', 'de_DE'])('the checks under %s', (locale) => {
  let ps: ScriptSession;
  let path: string;
  beforeAll(async () => {
    path = await writeScenarioState('termservice-stopped+cert-expired');
    const culture = `${locale}.UTF-8`;
    ps = await openScriptSession({ lab: true, statePath: path, env: { LC_ALL: culture, LANG: culture } });
  }, 120_000);
  afterAll(async () => {
    await ps?.close();
    await removeState(path);
  });

  it('run in that culture', async () => {
    const outcome = await ps.runText('[cultureinfo]::CurrentCulture.Name');
    expect(outcome.result).toBe(locale.replace('_', '-'));
  });

  it('report the expired certificate with invariant dates', async () => {
    const result = await ps.result<{ certificate: { notAfter: string }; findings: Finding[] }>(
      'Test-RdpCertificate',
    );
    expect(result.certificate.notAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(strongest(result.findings, 'cert-expired')?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('read the event logs with invariant times', async () => {
    const result = await ps.result<{ since: string; events: Array<{ time: string }> }>('Test-RdpEventLog', {
      Days: 7,
    });
    expect(result.since).toMatch(/T\d\d:\d\d:\d\dZ$/);
    for (const event of result.events) expect(event.time).toMatch(/T\d\d:\d\d:\d\dZ$/);
  });

  it('judge the listener and the fix for it', async () => {
    const listener = await ps.result<{ findings: Finding[] }>('Test-RdpListener', { Port: 3389 });
    expect(strongest(listener.findings, 'termservice-stopped')?.confidence).toBeGreaterThanOrEqual(0.9);
    const preview = await ps.result<{ changes: string[] }>('Enable-RdpService', {}, { whatIf: true });
    expect(preview.changes.join('\n')).toMatch(/not after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });
});
