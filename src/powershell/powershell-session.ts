import { performance } from 'node:perf_hooks';
import { PowerShellError, TargetUnreachableError } from '../core/errors.js';
import type { TargetUnreachable } from '../core/unreachable.js';
import { classifyOpenFailure, describeOpenFailure, type OpenFailure } from './classify-unreachable.js';
import { isProcessAlive, listDescendants } from './kill-process-tree.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, sendOpenTarget } from './open-target.js';
import {
  buildOutcome,
  connectionLostOutcome,
  crashedOutcome,
  timedOutOutcome,
  unreachableOutcome,
} from './outcome.js';
import { PayloadFiles } from './payload-files.js';
import type { PowerShellExecutable, PowerShellProcess } from './powershell-process.js';
import { raceTimeout } from './race-timeout.js';
import { carrierRuntimeEnv } from './runtime-settings.js';
import { describeTarget, type SessionOptions } from './session-options.js';
import { startPowerShellProcess } from './start-process.js';
import type { RequestModule, ScriptOutcome, ScriptRequest, Session, TargetSpec } from './types.js';
import { buildCommandLine, encodeWireJson, parseStdout } from './wire.js';

const DEFAULT_TIMEOUT_MS = 300_000;
const REMOTE_BACKSTOP_MS = 3000;
const TRANSPORT_POLL_MS = 200;
const TRANSPORT_GRACE_MS = 1000;
/** Failed opens in a row after which a session stops trying and answers `unreachable` at once. */
export const MAX_FAILED_OPENS = 2;

/**
 * A persistent PowerShell session: one local process, and for a remote target one PSSession held
 * open inside it. Requests run one at a time; a timeout or crash replaces the process.
 */
export class PowerShellSession implements Session {
  private process: PowerShellProcess | undefined;
  private isTargetOpen = false;
  /** The processes carrying the remote session (the `ssh` client under the local PowerShell). */
  private transportPids: number[] = [];
  private hasLostState = false;
  /** The modules defined where scripts run (this process, or the remote runspace): name -> sha256. */
  private readonly definedModules = new Map<string, string>();
  private isClosed = false;
  private failedOpens = 0;
  /** Set once MAX_FAILED_OPENS opens in a row failed: every request answers it without trying again. */
  private givenUp: TargetUnreachable | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly payloads = new PayloadFiles();
  private readonly label: string;

  constructor(
    readonly target: TargetSpec,
    private readonly powershell: PowerShellExecutable,
    private readonly options: SessionOptions,
  ) {
    this.label = describeTarget(target);
  }

  /** Starts PowerShell (and connects to the target) now, so that problems surface before any step. */
  async start(): Promise<void> {
    await this.enqueue(async () => {
      await this.ensureProcess();
      await this.ensureTarget();
    });
  }

  run(request: ScriptRequest): Promise<ScriptOutcome> {
    return this.enqueue(() => this.runNow(request));
  }

  async close(): Promise<void> {
    this.isClosed = true;
    const current = this.process;
    this.process = undefined;
    if (current) await current.kill();
    this.payloads.removeAll();
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(request: ScriptRequest): Promise<ScriptOutcome> {
    const started = performance.now();
    if (this.givenUp) return unreachableOutcome(this.givenUp);
    const process = await this.ensureProcess();
    try {
      await this.ensureTarget();
    } catch (error) {
      if (!(error instanceof TargetUnreachableError)) throw error;
      return unreachableOutcome(error.unreachable);
    }
    const id = String(this.nextId++);
    const modules = this.modulesToSend(request.modules ?? []);
    const payload = encodeWireJson({
      script: request.script.replace(/^\uFEFF/, ''),
      params: request.params ?? {},
      whatIf: !!request.whatIf,
      ...(modules.length > 0 ? { modules: modules.map((m) => ({ name: m.name, text: m.text })) } : {}),
    });
    const placed = this.payloads.place(id, payload);
    try {
      const outcome = await this.sendRequest(process, request, id, placed.argument, started);
      // A failed request may have failed defining a module: send those again next time.
      if (outcome.status === 'ok') for (const m of modules) this.definedModules.set(m.name, m.sha256);
      return outcome;
    } finally {
      placed.cleanup();
    }
  }

  /** The modules a request needs that are not yet defined, in this version, where it runs. */
  private modulesToSend(modules: readonly RequestModule[]): RequestModule[] {
    return modules.filter((m) => this.definedModules.get(m.name) !== m.sha256);
  }

  private async sendRequest(
    process: PowerShellProcess,
    request: ScriptRequest,
    id: string,
    payload: string,
    started: number,
  ): Promise<ScriptOutcome> {
    const elapsed = () => performance.now() - started;
    const sessionReset = this.hasLostState;
    this.hasLostState = false;
    const timeoutMs =
      request.timeoutMs > 0 ? request.timeoutMs : (this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS);
    const stopGraceMs = this.options.stopGraceMs ?? 2000;
    const isLocal = this.target.kind === 'local';
    const line = isLocal
      ? buildCommandLine('Invoke-PsRemedyRequest', id, payload)
      : buildCommandLine('Invoke-PsRemedyRemoteRequest', id, payload, timeoutMs, stopGraceMs);
    const limit = isLocal ? timeoutMs : timeoutMs + stopGraceMs + REMOTE_BACKSTOP_MS;

    const sending = process.sendLine(line);
    const watch = this.watchTransport();
    const result = await raceTimeout(Promise.race([sending, watch.lost]), limit).finally(watch.stop);
    if (result === 'transport-lost') {
      await this.discardProcess(process, 'lost its connection and stopped answering');
      await sending;
      return connectionLostOutcome(
        elapsed(),
        `The connection to ${this.label} was lost during the step.`,
        '',
      );
    }
    if (result === 'timeout') {
      await this.discardProcess(process, `killed after the ${timeoutMs} ms timeout`);
      await sending;
      return timedOutOutcome(request, elapsed(), true);
    }
    if (result.exit) {
      // SMA's SSH client crashes its whole process (IOException: Broken pipe) when the transport dies.
      const isConnectionLost = await this.isTransportDead();
      await this.discardProcess(process, 'exited while running a script');
      const outcome = isConnectionLost
        ? connectionLostOutcome(
            elapsed(),
            `The connection to ${this.label} was lost during the step (the local PowerShell exited with code ${result.exit.code}).`,
            result.exit.stderrTail.trim(),
          )
        : crashedOutcome(request, elapsed(), result.exit);
      this.report(outcome.diagnostics);
      return outcome;
    }
    const parsed = parseStdout(result.stdout, id);
    const outcome = buildOutcome(parsed, {
      request,
      elapsedMs: elapsed(),
      stderr: result.stderr,
      sessionReset,
    });
    if (parsed.answer?.timedOut && !parsed.answer.stopConfirmed) {
      await this.discardProcess(process, 'the target did not confirm stopping a timed-out script');
      outcome.sessionReset = true;
    }
    if (parsed.answer?.connectionLost) {
      this.isTargetOpen = false;
      outcome.sessionReset = true;
    }
    this.report(outcome.diagnostics);
    return outcome;
  }

  private async ensureProcess(): Promise<PowerShellProcess> {
    if (this.isClosed) throw new PowerShellError(`The PowerShell session for ${this.label} is closed.`);
    if (this.process && !this.process.hasExited) return this.process;
    if (this.process) {
      this.report(`PowerShell process ${this.process.pid} ended between steps; starting a new one`);
      this.process = undefined;
      this.hasLostState = true;
    }
    this.isTargetOpen = false;
    this.definedModules.clear();
    this.process = await startPowerShellProcess(this.powershell, {
      env: {
        ...(this.target.kind === 'local' ? {} : carrierRuntimeEnv()),
        ...(this.options.env ?? {}),
      },
      startupScripts: this.target.kind === 'local' ? (this.options.startupScripts ?? []) : [],
      startupTimeoutMs: this.options.startupTimeoutMs ?? 60_000,
      onDiagnostics: (text) => this.report(text),
    });
    return this.process;
  }

  private async ensureTarget(): Promise<void> {
    if (this.target.kind === 'local' || this.isTargetOpen) return;
    if (this.givenUp) throw this.unreachableError(this.givenUp);
    const started = performance.now();
    const failure = await this.openTarget();
    if (!failure) {
      this.failedOpens = 0;
      return;
    }
    this.failedOpens += 1;
    const unreachable: TargetUnreachable = {
      target: this.label,
      reason: classifyOpenFailure(failure),
      detail: describeOpenFailure(failure),
      waitedMs: Math.round(performance.now() - started),
    };
    if (this.failedOpens >= MAX_FAILED_OPENS) this.givenUp = unreachable;
    throw this.unreachableError(unreachable);
  }

  /** Opens the remote side within the connect timeout; what went wrong, or undefined once open. */
  private async openTarget(): Promise<OpenFailure | undefined> {
    const process = this.process!;
    // A new remote runspace has none of the modules the old one had.
    this.definedModules.clear();
    const failure = await sendOpenTarget(process, this.target, {
      id: String(this.nextId++),
      limitMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      discard: (why) => this.discardProcess(process, why),
      report: (text) => this.report(text),
    });
    if (failure) return failure;
    this.isTargetOpen = true;
    this.transportPids = await listDescendants(process.pid);
    return undefined;
  }

  private unreachableError(unreachable: TargetUnreachable): TargetUnreachableError {
    return new TargetUnreachableError(
      `Could not open a PowerShell session to ${unreachable.target} (${unreachable.reason}): ${unreachable.detail}`,
      unreachable,
    );
  }

  /** True when this is an SSH target and every process that carried its session has died. */
  private async isTransportDead(): Promise<boolean> {
    if (this.target.kind !== 'ssh' || this.transportPids.length === 0) return false;
    const alive = await Promise.all(this.transportPids.map(isProcessAlive));
    return !alive.some(Boolean);
  }

  /**
   * Resolves `transport-lost` when every process carrying the remote session has died and the
   * envelope has not answered within a grace period: PowerShell can block for good when its SSH
   * transport dies under a starting pipeline, so Node decides instead.
   */
  private watchTransport(): { lost: Promise<'transport-lost'>; stop: () => void } {
    let timer: NodeJS.Timeout | undefined;
    let isStopped = false;
    const lost = new Promise<'transport-lost'>((resolve) => {
      if (this.target.kind !== 'ssh' || this.transportPids.length === 0) return;
      const poll = async () => {
        if (isStopped) return;
        if (!(await this.isTransportDead())) {
          timer = setTimeout(poll, TRANSPORT_POLL_MS);
          return;
        }
        timer = setTimeout(() => resolve('transport-lost'), TRANSPORT_GRACE_MS);
      };
      timer = setTimeout(poll, TRANSPORT_POLL_MS);
    });
    return {
      lost,
      stop: () => {
        isStopped = true;
        clearTimeout(timer);
      },
    };
  }

  private async discardProcess(process: PowerShellProcess, why: string): Promise<void> {
    this.report(`PowerShell process ${process.pid} ${why}; the next step gets a new session`);
    if (this.process === process) this.process = undefined;
    this.isTargetOpen = false;
    await process.kill();
  }

  private report(text: string): void {
    if (text.trim() !== '') this.options.onDiagnostics?.(text, this.label);
  }
}
