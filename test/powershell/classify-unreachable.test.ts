import { describe, expect, it } from 'vitest';
import type { UnreachableReason } from '../../src/core/unreachable.js';
import {
  classifyOpenFailure,
  describeOpenFailure,
  type OpenFailure,
} from '../../src/powershell/classify-unreachable.js';

// PowerShell's own words for every ssh failure: only ssh's stderr tells them apart.
const SSH_ENDED =
  'The SSH client session has ended with error message: The SSH transport process has abruptly terminated causing this remote session to break.';

/** Words captured from PowerShell 7.6 and OpenSSH 9 (ssh), and from WinRM on Windows (English). */
const CASES: [string, OpenFailure, UnreachableReason][] = [
  [
    'PowerShell on Linux asked for WinRM',
    {
      message:
        'This parameter set requires WSMan, and no supported WSMan client library was found. WSMan is either not installed or unavailable for this system.',
    },
    'noWsmanClient',
  ],
  [
    'sshd down',
    { message: SSH_ENDED, stderr: 'ssh: connect to host 127.0.0.1 port 1: Connection refused' },
    'connectionRefused',
  ],
  [
    'a key sshd refuses',
    { message: SSH_ENDED, stderr: 'root@127.0.0.9: Permission denied (publickey).' },
    'authenticationFailed',
  ],
  [
    'a changed host key',
    {
      message: SSH_ENDED,
      stderr:
        '@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key for [127.0.0.9]:2299 has changed and you have requested strict checking.\nHost key verification failed.',
    },
    'hostKeyMismatch',
  ],
  [
    'an unknown host key with BatchMode',
    {
      message: SSH_ENDED,
      stderr:
        'No ED25519 host key is known for [127.0.0.9]:2299 and you have requested strict checking.\nHost key verification failed.',
    },
    'hostKeyMismatch',
  ],
  [
    'a name that does not resolve',
    {
      message: SSH_ENDED,
      stderr: 'ssh: Could not resolve hostname nosuch.invalid: Name or service not known',
    },
    'nameNotResolved',
  ],
  [
    'a port that drops packets',
    {
      message: SSH_ENDED,
      stderr: 'Connection timed out during banner exchange\nConnection to 10.255.255.1 port 22 timed out',
    },
    'timedOut',
  ],
  [
    'sshd without the powershell subsystem',
    { message: SSH_ENDED, stderr: 'subsystem request failed on channel 0' },
    'noRemotingEndpoint',
  ],
  [
    'psremedy stopped waiting',
    { timedOut: true, message: 'no answer within the connect timeout of 2000 ms' },
    'timedOut',
  ],
  [
    'WinRM: wrong password',
    {
      message:
        'Connecting to remote server srv01 failed with the following error message : Access is denied. For more information, see the about_Remote_Troubleshooting Help topic.',
      transportErrorCode: 5,
    },
    'authenticationFailed',
  ],
  [
    'WinRM: service stopped or port closed',
    {
      message:
        'Connecting to remote server srv01 failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer.',
    },
    'connectionRefused',
  ],
  [
    'anything else',
    { message: SSH_ENDED, stderr: 'kex_exchange_identification: read: Connection reset by peer' },
    'transportFailed',
  ],
];

describe('classifying a failed session open', () => {
  it.each(CASES)('%s', (_name, failure, reason) => {
    expect(classifyOpenFailure(failure)).toBe(reason);
  });

  it("puts ssh's own last lines before PowerShell's generic message, without the banner art", () => {
    const detail = describeOpenFailure(CASES[3]![1]);
    expect(detail).toMatch(
      /^WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!.*Host key verification failed\. \/ The SSH client session/,
    );
    expect(detail).not.toContain('@@@');
  });
});
