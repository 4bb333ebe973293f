import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { readCredentialFromEnvironment } from '../../src/powershell/read-credential.js';

const dir = mkdtempSync(join(tmpdir(), 'psremedy-cred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeCredential(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('reading the unattended credential', () => {
  it('reads PSREMEDY_CREDENTIAL_FILE when only its owner can read it', () => {
    const path = writeCredential('ok.json', '{"userName":"CONTOSO\\\\admin","password":"p@ss \'\\""}', 0o600);
    expect(readCredentialFromEnvironment({ PSREMEDY_CREDENTIAL_FILE: path })).toEqual({
      userName: 'CONTOSO\\admin',
      password: 'p@ss \'"',
    });
  });

  it.skipIf(process.platform === 'win32')('refuses a credential file other users can read', () => {
    const path = writeCredential('open.json', '{"userName":"a","password":"b"}', 0o644);
    expect(() => readCredentialFromEnvironment({ PSREMEDY_CREDENTIAL_FILE: path })).toThrow(/chmod 600/);
  });

  it('never quotes the password when the file is not valid JSON', () => {
    const path = writeCredential('bad.json', '{"userName":"a","password":"Hunter2-secret', 0o600);
    const error = (() => {
      try {
        readCredentialFromEnvironment({ PSREMEDY_CREDENTIAL_FILE: path });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).not.toContain('Hunter2');
  });

  it('reads the user and password variables together, and nothing when none is set', () => {
    expect(
      readCredentialFromEnvironment({ PSREMEDY_CREDENTIAL_USER: 'u', PSREMEDY_CREDENTIAL_PASSWORD: 'p' }),
    ).toEqual({
      userName: 'u',
      password: 'p',
    });
    expect(readCredentialFromEnvironment({})).toBeUndefined();
    expect(() => readCredentialFromEnvironment({ PSREMEDY_CREDENTIAL_USER: 'u' })).toThrow(UsageError);
  });
});
