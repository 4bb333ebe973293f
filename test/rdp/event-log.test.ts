/** Test-RdpEventLog picks TermService's Service Control Manager events by the names this server gives it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeState, writeScenarioState } from './support/lab-state.js';
import { openScriptSession, type ScriptSession } from './support/script-session.js';

describe('Service Control Manager events', () => {
  let ps: ScriptSession;
  let path: string;
  beforeAll(async () => {
    path = await writeScenarioState('healthy', (s) => {
      const term = s.services.find((x) => x.name === 'TermService')!;
      term.displayName = 'Remotedesktopdienste';
      const um = s.services.find((x) => x.name === 'UmRdpService')!;
      um.displayName = 'Remotedesktopdienste-Anschlussumleitung für den Benutzermodus';
      const at = new Date(Date.parse(s.clock) - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const scm = (id: number, message: string, recordId: number) => ({
        logName: 'System',
        providerName: 'Service Control Manager',
        id,
        level: 2,
        timeCreated: at,
        message,
        recordId,
      });
      s.events.push(
        scm(
          7023,
          'Der Dienst "Remotedesktopdienste" wurde mit folgendem Fehler beendet: Zugriff verweigert',
          100,
        ),
        scm(
          7031,
          'Der Dienst "Remotedesktopdienste-Anschlussumleitung für den Benutzermodus" wurde unerwartet beendet.',
          101,
        ),
      );
    });
    ps = await openScriptSession({ lab: true, statePath: path });
  });
  afterAll(async () => {
    await ps?.close();
    await removeState(path);
  });

  it("keeps TermService's events under its localized name and drops UmRdpService's", async () => {
    const result = await ps.result<{ events: Array<{ provider: string; id: number }> }>('Test-RdpEventLog', {
      Days: 7,
    });
    const scm = result.events.filter((e) => e.provider === 'Service Control Manager').map((e) => e.id);
    expect(scm).toContain(7023);
    expect(scm).not.toContain(7031);
  });
});
