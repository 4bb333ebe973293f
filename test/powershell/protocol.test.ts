import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerShellError } from '../../src/core/errors.js';
import { isProcessAlive } from '../../src/powershell/kill-process-tree.js';
import { openSession } from '../../src/powershell/open-session.js';
import { INLINE_PAYLOAD_LIMIT, PayloadFiles } from '../../src/powershell/payload-files.js';
import type { SessionOptions } from '../../src/powershell/session-options.js';
import type { Session } from '../../src/powershell/types.js';
import { buildCommandLine, encodeWireJson, parseStdout } from '../../src/powershell/wire.js';

// Protocol edge cases that real PowerShell rarely produces on cue; everything else runs real PowerShell.
const fake = { path: process.execPath, args: [fileURLToPath(new URL('./fake-pwsh.mjs', import.meta.url))] };

function openFake(options: SessionOptions = {}): Promise<Session> {
  return openSession({ kind: 'local' }, { powershell: fake, ...options });
}

describe('the script protocol (against a fake PowerShell)', () => {
  let session: Session;
  const diagnostics: string[] = [];

  beforeAll(async () => {
    session = await openFake({ onDiagnostics: (text) => diagnostics.push(text) });
  });
  afterAll(() => session.close());

  const run = (script: string, params: Record<string, unknown> = {}, timeoutMs = 10_000) =>
    session.run({ script, params, timeoutMs });

  it('takes the answer from its marked line and keeps stray stdout and stderr as diagnostics only', async () => {
    const outcome = await run('noise');
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toBe('fine');
    expect(outcome.diagnostics).toContain('stray stdout before');
    expect(outcome.diagnostics).toContain('Write-Error: this stderr line must not decide anything');
  });

  it('reports a damaged answer line as a failure with the output in the diagnostics, and keeps serving', async () => {
    const outcome = await run('garbage');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.type).toBe('PsRemedy.NoAnswer');
    expect((await run('echo', { a: 1 })).result).toEqual({ a: 1 });
  });

  it('keeps the result written before a failure', async () => {
    const outcome = await run('fail');
    expect(outcome).toMatchObject({
      status: 'failed',
      result: 'partial',
      error: { message: 'it broke', line: 3 },
    });
  });

  it('fails a request whose PowerShell crashes with the exit code and stderr, and serves the next from a new process', async () => {
    const outcome = await run('crash 7');
    expect(outcome.status).toBe('failed');
    expect(outcome.sessionReset).toBe(true);
    expect(outcome.error?.message).toContain('exited with code 7');
    expect(outcome.error?.message).toContain('fatal: simulated crash 7');
    expect(outcome.diagnostics).toContain('fatal: simulated crash 7');
    const next = await run('echo', { after: 'crash' });
    expect(next).toMatchObject({ status: 'ok', result: { after: 'crash' } });
  });

  it('treats a process that exits with code 0 in the middle of a request as a crash', async () => {
    const outcome = await run('exit0');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toContain('exited with code 0');
    expect((await run('echo', { ok: true })).status).toBe('ok');
  });

  it('times out a hung request in about its timeout, kills the process, and the next request works', async () => {
    diagnostics.length = 0;
    const started = Date.now();
    const outcome = await run('hang', {}, 400);
    const elapsed = Date.now() - started;
    expect(outcome.status).toBe('timedOut');
    expect(outcome.sessionReset).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(400 + 3000);
    const killed = Number(/PowerShell process (\d+) killed/.exec(diagnostics.join('\n'))?.[1]);
    expect(killed).toBeGreaterThan(0);
    expect(await isProcessAlive(killed)).toBe(false);
    expect((await run('echo', { next: 1 })).status).toBe('ok');
  });

  it('runs concurrent requests one at a time, in order', async () => {
    const outcomes = await Promise.all([1, 2, 3].map((n) => run('echo', { n })));
    expect(outcomes.map((o) => o.result)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('refuses requests after close', async () => {
    const closing = await openFake();
    await closing.close();
    await expect(closing.run({ script: 'echo', params: {}, timeoutMs: 1000 })).rejects.toThrow(
      PowerShellError,
    );
  });
});

describe('starting PowerShell', () => {
  it('throws PowerShellError naming what was tried when the executable does not exist, without crashing Node', async () => {
    const missing = {
      path: '/nonexistent/pwsh',
      tried: ['PSREMEDY_POWERSHELL: not set', 'pwsh: not on PATH'],
    };
    const error = await openSession({ kind: 'local' }, { powershell: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PowerShellError);
    expect((error as PowerShellError).message).toContain('/nonexistent/pwsh');
    expect((error as PowerShellError).message).toContain('pwsh: not on PATH');
    expect((error as PowerShellError).details.tried).toEqual(missing.tried);
  });

  it('throws PowerShellError with the exit code and stderr when PowerShell exits at start', async () => {
    const error = await openFake({ env: { FAKE_PWSH_AT_START: 'exit' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PowerShellError);
    expect((error as PowerShellError).message).toMatch(
      /exited with code 42 at start-up: fake-pwsh: cannot load the engine/,
    );
  });

  it('throws PowerShellError when PowerShell starts but never answers the protocol', async () => {
    const error = await openFake({ env: { FAKE_PWSH_AT_START: 'silent' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PowerShellError);
    expect((error as PowerShellError).message).toContain('did not answer the protocol');
  });

  it('starts despite garbage on stdout before the first answer, and reports it as diagnostics', async () => {
    const seen: string[] = [];
    const session = await openFake({
      env: { FAKE_PWSH_AT_START: 'garbage' },
      onDiagnostics: (t) => seen.push(t),
    });
    await session.close();
    expect(seen.join('\n')).toContain('garbage');
  });
});

describe('the wire format', () => {
  it('prefixes every string value (not keys) so no JSON reader can turn one into a date', () => {
    const json = Buffer.from(
      encodeWireJson({ when: '2024-01-02T03:04:05Z', list: ['a', 1, null], at: new Date(0) }),
      'base64',
    ).toString('utf8');
    expect(JSON.parse(json)).toEqual({
      when: '~2024-01-02T03:04:05Z',
      list: ['~a', 1, null],
      at: '~1970-01-01T00:00:00.000Z',
    });
  });

  it('builds command lines only from base64-safe arguments', () => {
    expect(buildCommandLine('Invoke-PsRemedyRequest', '7', 'QUJD+/=')).toBe(
      "Invoke-PsRemedyRequest '7' 'QUJD+/='",
    );
    expect(() => buildCommandLine('Invoke-PsRemedyRequest', "x'; Remove-Item /")).toThrow(TypeError);
  });

  it('ignores answers for other requests and keeps host output between the markers apart', () => {
    const line = (id: string) =>
      `@@psremedy:${id}:${Buffer.from('{"ok":true,"result":1}').toString('base64')}`;
    const parsed = parseStdout(
      ['noise', line('9'), '@@psremedy-begin:3', 'What if: x', line('3')].join('\n'),
      '3',
    );
    expect(parsed.answer).toEqual({ ok: true, result: 1 });
    expect(parsed.hostLines).toEqual(['What if: x']);
    expect(parsed.noise).toEqual(['noise', line('9')]);
  });

  it('keeps small payloads on the line and puts large ones in a private file that is removed afterwards', () => {
    const files = new PayloadFiles();
    expect(files.place('1', 'QUJD').argument).toBe('QUJD');
    const large = 'A'.repeat(INLINE_PAYLOAD_LIMIT + 1);
    const placed = files.place('2', large);
    expect(placed.argument).toMatch(/^file\./);
    const path = Buffer.from(placed.argument.slice(5), 'base64').toString('utf8');
    expect(readFileSync(path, 'ascii')).toBe(large);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    placed.cleanup();
    expect(existsSync(path)).toBe(false);
    files.removeAll();
  });
});
