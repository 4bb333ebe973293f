/**
 * The certificate scripts' key ACL judgement (Test-KeyFileReadable of lib/RdpCertificate.psm1) on
 * the lab's key files: Deny entries win, generic rights count as read, other accounts do not.
 * The lab's keys are OpenSSL keys, so the scripts cannot find the file from the certificate; this
 * runs the judgement itself on the path, through the lab's Get-Acl.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeState, writeScenarioState } from './support/lab-state.js';
import { openScriptSession, type ScriptSession, scriptsDir } from './support/script-session.js';

const FILE = 'f686aace6942fb7f7ceb231212eef4a4_test';
type Ace = { identity: string; rights: string | number; type: 'Allow' | 'Deny' };

describe('Test-KeyFileReadable', () => {
  let ps: ScriptSession;
  const paths: string[] = [];
  beforeAll(async () => {
    ps = await openScriptSession({ lab: true });
  });
  afterAll(async () => {
    await ps?.close();
    for (const p of paths) await removeState(p);
  });

  const judge = async (acl: Ace[] | undefined, file = FILE) => {
    const path = await writeScenarioState('healthy', (s) => {
      const cert = s.certificates['Remote Desktop']![0]!;
      cert.keyFile = FILE;
      if (acl) cert.keyAcl = acl;
    });
    paths.push(path);
    await ps.useState(path);
    const module = join(scriptsDir, 'lib', 'RdpCertificate.psm1');
    const outcome = await ps.runText(
      `Import-Module '${module}' -Force; $r = Test-KeyFileReadable (Join-Path ([Environment]::GetFolderPath('CommonApplicationData')) 'Microsoft\\Crypto\\RSA\\MachineKeys\\${file}'); if ($null -eq $r) { 'unknown' } else { $r }`,
    );
    expect(outcome.status, JSON.stringify(outcome.error)).toBe('ok');
    return outcome.result;
  };

  it.each<[string, Ace[] | undefined, unknown]>([
    ['the default ACL (NETWORK SERVICE Read)', undefined, true],
    [
      'GENERIC_READ for NETWORK SERVICE, as Get-Acl shows it unmapped',
      [{ identity: 'S-1-5-20', rights: 2147483648, type: 'Allow' }],
      true,
    ],
    ['GENERIC_ALL for Everyone', [{ identity: 'Everyone', rights: 268435456, type: 'Allow' }], true],
    [
      'an Everyone Deny ReadData next to NETWORK SERVICE Read',
      [
        { identity: 'NT AUTHORITY\\NETWORK SERVICE', rights: 'Read', type: 'Allow' },
        { identity: 'Everyone', rights: 'ReadData', type: 'Deny' },
      ],
      false,
    ],
    [
      'only SYSTEM and Administrators',
      [
        { identity: 'NT AUTHORITY\\SYSTEM', rights: 'FullControl', type: 'Allow' },
        { identity: 'BUILTIN\\Administrators', rights: 'FullControl', type: 'Allow' },
      ],
      false,
    ],
    [
      'a Deny of write only',
      [
        { identity: 'S-1-5-20', rights: 'Read', type: 'Allow' },
        { identity: 'S-1-5-20', rights: 'Write', type: 'Deny' },
      ],
      true,
    ],
  ])('judges %s', async (_what, acl, expected) => {
    expect(await judge(acl)).toBe(expected);
  });

  it('cannot tell for a file it cannot read', async () => {
    expect(await judge(undefined, 'no-such-key')).toBe('unknown');
  });
});
