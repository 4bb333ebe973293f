import { describe, expect, it } from 'vitest';
import { withCredential } from '../../src/cli/commands/run/run-targets.js';

describe('credentials for WinRM targets', () => {
  const winrm = { kind: 'winrm' as const, computerName: 'srv01' };

  it('attaches the credential from the environment to a WinRM target', () => {
    const env = { PSREMEDY_CREDENTIAL_USER: 'CORP\\ops', PSREMEDY_CREDENTIAL_PASSWORD: "p'w $(x)" };
    expect(withCredential(winrm, env)).toEqual({
      ...winrm,
      credential: { userName: 'CORP\\ops', password: "p'w $(x)" },
    });
  });

  it('leaves the target to the current Windows identity when no credential is set', () => {
    expect(withCredential(winrm, {})).toEqual(winrm);
  });

  it('never adds a credential to SSH or local targets', () => {
    const env = { PSREMEDY_CREDENTIAL_USER: 'u', PSREMEDY_CREDENTIAL_PASSWORD: 'p' };
    expect(withCredential({ kind: 'ssh', hostName: 'h' }, env)).toEqual({ kind: 'ssh', hostName: 'h' });
    expect(withCredential({ kind: 'local' }, env)).toEqual({ kind: 'local' });
  });

  it('refuses a user name without a password', () => {
    expect(() => withCredential(winrm, { PSREMEDY_CREDENTIAL_USER: 'u' })).toThrow(/must be set together/);
  });
});
