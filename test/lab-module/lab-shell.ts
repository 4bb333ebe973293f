/** Test helper: one real PowerShell per test file with the lab module loaded over a temp state file. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBaseState } from '../../src/lab/scenario/base-state.js';
import { findPowerShell } from '../../src/powershell/find-powershell.js';

/** The shipped healthy host's base file (times relative to the real clock, certificate by attributes). */
export const HEALTHY_STATE = fileURLToPath(new URL('../../lab/hosts/healthy.json', import.meta.url));

let healthy: Promise<string> | undefined;
/** The healthy host as the lab starts it now (clock, times and certificate resolved), as JSON text. */
export function healthyStateText(): Promise<string> {
  healthy ??= readBaseState(HEALTHY_STATE).then((state) => `${JSON.stringify(state, null, 2)}\n`);
  return healthy;
}
const HOST_MODULE = fileURLToPath(new URL('../../lab/module/PSRemedyLab.psd1', import.meta.url));
const CLIENT_MODULE = fileURLToPath(new URL('../../lab/module/PSRemedyLabClient.psd1', import.meta.url));
const MARKER = '@@LAB@@';

/** A host state as JSON data (shape: lab/schema/host-state.schema.json). */
// biome-ignore lint/suspicious/noExplicitAny: tests poke into arbitrary parts of the state.
export type HostState = any;

/** What one script run returned: its value as JSON, or the terminating error. */
export interface LabRun<T> {
  ok: boolean;
  value: T;
  error?: { message: string; fqid: string; category: string; type: string };
}

/** Reads a state file. */
export function readState(path: string): HostState {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** A PowerShell session with the lab module imported and PSREMEDY_LAB_STATE on a temp copy. */
export class LabShell {
  readonly statePath: string;
  private readonly dir: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiter: ((line: string) => void) | undefined;
  private exitError: Error | undefined;

  private constructor(
    dir: string,
    child: ChildProcessWithoutNullStreams,
    private readonly healthyText: string,
  ) {
    this.dir = dir;
    this.statePath = join(dir, 'host.json');
    this.child = child;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffer += chunk;
      this.deliver();
    });
    child.stderr.setEncoding('utf8').on('data', () => undefined);
    child.on('exit', (code) => {
      this.exitError = new Error(`PowerShell exited (${code})`);
      this.waiter?.('');
    });
  }

  /** Starts PowerShell with the host module (or the client module) and a fresh healthy state. */
  static async start(side: 'host' | 'client' = 'host', env: Record<string, string> = {}): Promise<LabShell> {
    const ps = await findPowerShell();
    const dir = mkdtempSync(join(tmpdir(), 'psremedy-lab-module-'));
    const statePath = join(dir, 'host.json');
    const healthyText = await healthyStateText();
    writeFileSync(statePath, healthyText);
    const child = spawn(ps.path, [...ps.args, '-NoExit', '-Command', '-'], {
      stdio: 'pipe',
      env: { ...process.env, PSREMEDY_LAB_STATE: statePath, PSREMEDY_LAB_MANAGEMENT_DROP: 'none', ...env },
    });
    const shell = new LabShell(dir, child, healthyText);
    const imported = await shell.run(
      `Import-Module '${side === 'host' ? HOST_MODULE : CLIENT_MODULE}'; 'ok'`,
    );
    if (!imported.ok) throw new Error(`Import-Module failed: ${imported.error?.message}`);
    return shell;
  }

  /** Puts the healthy state back, changed by `change` first when given. */
  resetState(change?: (state: HostState) => void): void {
    const state = JSON.parse(this.healthyText);
    change?.(state);
    writeFileSync(this.statePath, `${JSON.stringify(state, null, 2)}\n`);
  }

  /** The state file as it is now. */
  state(): HostState {
    return readState(this.statePath);
  }

  /** Runs a script in the global scope and returns its output converted to JSON. */
  async run<T = unknown>(script: string): Promise<LabRun<T>> {
    const encoded = Buffer.from(script, 'utf8').toString('base64');
    const line =
      `. { $__s = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${encoded}')); ` +
      `$__r = [ordered]@{ ok = $true; value = $null; error = $null }; ` +
      `try { $__r.value = . ([scriptblock]::Create($__s)) } catch { $__r.ok = $false; ` +
      `$__r.error = [ordered]@{ message = $_.Exception.Message; fqid = $_.FullyQualifiedErrorId; category = [string]$_.CategoryInfo.Category; type = $_.Exception.GetType().FullName } }; ` +
      `[Console]::Out.WriteLine('${MARKER}' + (ConvertTo-Json -InputObject $__r -Depth 8 -Compress)) }\n`;
    const answer = new Promise<string>((resolve) => {
      this.waiter = resolve;
    });
    this.child.stdin.write(line);
    this.deliver();
    const text = await answer;
    if (this.exitError) throw this.exitError;
    return JSON.parse(text) as LabRun<T>;
  }

  /** Runs a script that must not throw and returns its value. */
  async value<T = unknown>(script: string): Promise<T> {
    const result = await this.run<T>(script);
    if (!result.ok) throw new Error(`script failed: ${result.error?.fqid}: ${result.error?.message}`);
    return result.value;
  }

  /** Ends PowerShell and removes the temp folder. */
  async close(): Promise<void> {
    this.child.stdin.end();
    await new Promise((resolve) => {
      this.child.once('exit', resolve);
      setTimeout(resolve, 5000).unref();
    });
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private deliver(): void {
    if (!this.waiter) return;
    const start = this.buffer.indexOf(MARKER);
    if (start < 0) return;
    const end = this.buffer.indexOf('\n', start);
    if (end < 0) return;
    const text = this.buffer.slice(start + MARKER.length, end).trim();
    this.buffer = this.buffer.slice(end + 1);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter(text);
  }
}
