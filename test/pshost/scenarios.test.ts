import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_ARGS, EngineSession, listEngines, runEngine } from './run-host.js';

// The scenarios of issue 4, in one long-lived engine per engine, the way psremedy drives it.
const engines = await listEngines();

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(
    `${engine.name} scenarios${engine.skipReason ? ` (skipped: ${engine.skipReason})` : ''}`,
    () => {
      let ps: EngineSession;
      beforeAll(() => {
        ps = new EngineSession(engine.path ?? '');
      });
      afterAll(async () => {
        await ps.close();
      });

      it('catches a thrown error with try/catch and keeps the message', async () => {
        const r = await ps.invoke(
          "try { throw 'disk full' } catch { \"caught: $($_.Exception.Message)\" } finally { 'cleanup' }",
        );
        expect(r).toEqual({ stdout: 'caught: disk full\ncleanup\n', stderr: '' });
      });

      it("turns a non-terminating error into a catchable one under $ErrorActionPreference = 'Stop'", async () => {
        const r = await ps.invoke(
          "& { $ErrorActionPreference = 'Stop'; try { Get-Item -Path '/no/such/file'; 'not reached' } catch { \"$($_.CategoryInfo.Category) $($_.FullyQualifiedErrorId)\" } }",
        );
        expect(r).toEqual({
          stdout: 'ObjectNotFound PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand\n',
          stderr: '',
        });
      });

      it('writes a non-terminating error to stderr with its message and carries on', async () => {
        const r = await ps.invoke("Write-Error 'first problem'; 'after'");
        expect(r.stdout).toBe('after\n');
        expect(r.stderr).toContain('first problem');
      });

      it('passes a 1 MB parameter through one stdin line intact', async () => {
        const big = 'é✓x'.repeat(350_000);
        const r = await ps.invoke(
          `& { param([string]$Big) "$($Big.Length) $($Big.Substring(0, 3))" } -Big '${big}'`,
        );
        expect(r).toEqual({ stdout: `${big.length} é✓x\n`, stderr: '' });
      });

      it('answers 1,000 invocations in one process with the session state kept', async () => {
        await ps.invoke('$global:count = 0');
        let last = { stdout: '', stderr: '' };
        for (let i = 0; i < 1000; i++) last = await ps.invoke('$global:count++; $global:count');
        expect(last).toEqual({ stdout: '1000\n', stderr: '' });
      });

      it('exits with the code given to exit on stdin', async () => {
        const r = await runEngine(
          engine.path ?? '',
          [...BASE_ARGS, '-NoExit', '-Command', '-'],
          "'bye'\nexit 3\n'never'\n",
        );
        expect(r.stdout).toBe('bye\n');
        expect(r.code).toBe(3);
      });
    },
  );
}
