import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root, where bin/psremedy.js runs the built dist/. */
export const root = join(import.meta.dirname, '../..');

/** The approval test fixture: a playbook whose scripts are self-contained (test/fixtures/approval/dot-sourcing is the refused kind). */
export const fixture = join(import.meta.dirname, '../fixtures/approval/basic');

/** How a CLI run ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI with stdin closed and no TTY, as a scheduler would. `env` values that are
 * undefined are removed. `command` replaces `node bin/psremedy.js` (stdin then stays open).
 */
export function runCli(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
  command?: string[],
): Promise<CliResult> {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const [exe, ...before] = command ?? [process.execPath, join(root, 'bin/psremedy.js')];
  return new Promise((resolve, reject) => {
    const child = spawn(exe as string, [...before, ...args], {
      cwd,
      env: merged,
      stdio: [command ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 230_000);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh temp folder holding a copy of a folder. */
export function copyToTemp(from: string, prefix = 'psremedy-approval-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(from, dir, { recursive: true });
  return dir;
}

/**
 * A stand-in PowerShell that records being started: point PSREMEDY_POWERSHELL at `path` and
 * `wasStarted()` tells whether anything tried to start PowerShell.
 */
export function createPowerShellTripwire(dir: string): { path: string; wasStarted(): boolean } {
  const marker = join(dir, 'powershell-started');
  const path = join(dir, 'tripwire-pwsh');
  writeFileSync(path, `#!/bin/sh\necho "$@" >> '${marker}'\nexit 1\n`);
  chmodSync(path, 0o755);
  return { path, wasStarted: () => existsSync(marker) };
}

/**
 * Changes one byte of a string so the value keeps its shape: a digit to the next digit, `f` to
 * `e` and other letters to the next letter (`z` to `y`), so hex stays hex and base64 stays base64.
 */
export function bumpChar(text: string, index: number): string {
  const c = text[index] ?? '';
  const next =
    c === '9'
      ? '0'
      : c === 'f' || c === 'F'
        ? String.fromCharCode(c.charCodeAt(0) - 1)
        : c === 'z' || c === 'Z'
          ? String.fromCharCode(c.charCodeAt(0) - 1)
          : String.fromCharCode(c.charCodeAt(0) + 1);
  return text.slice(0, index) + next + text.slice(index + 1);
}

/** Index of the last ASCII letter or digit in a string. */
export function lastAlnum(text: string): number {
  return lastMatching(text, /[A-Za-z0-9]/);
}

/** Index of the last digit in a string. */
export function lastDigit(text: string): number {
  return lastMatching(text, /[0-9]/);
}

function lastMatching(text: string, pattern: RegExp): number {
  for (let i = text.length - 1; i >= 0; i--) if (pattern.test(text[i] ?? '')) return i;
  throw new Error(`nothing matching ${pattern} in ${text}`);
}
