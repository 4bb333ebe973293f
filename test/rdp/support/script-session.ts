/**
 * One real PowerShell session per test file, running the playbook's scripts by name the way the
 * engine does (script text, params as data), optionally against a lab host state file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labClientModule, labServerModule } from '../../../src/lab/lab-paths.js';
import { readScriptModules, type ScriptModule } from '../../../src/playbook/script-modules.js';
import { openSession } from '../../../src/powershell/open-session.js';
import type { ScriptOutcome, Session } from '../../../src/powershell/types.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const scriptsDir = join(repoRoot, 'ps-scripts');

/** A session that runs ps-scripts/<name>.ps1 with params and returns the outcome. */
export interface ScriptSession {
  /** Runs the script at an absolute path. */
  runPath(
    path: string,
    params?: Record<string, unknown>,
    options?: { whatIf?: boolean },
  ): Promise<ScriptOutcome>;
  run(name: string, params?: Record<string, unknown>, options?: { whatIf?: boolean }): Promise<ScriptOutcome>;
  /** Runs a script and returns its result, failing with PowerShell's message when it did not succeed. */
  result<T = Record<string, unknown>>(
    name: string,
    params?: Record<string, unknown>,
    options?: { whatIf?: boolean },
  ): Promise<T>;
  /** Runs a line of PowerShell (test plumbing, not a playbook script). */
  runText(text: string): Promise<ScriptOutcome>;
  /** Points the lab module at another state file (PSREMEDY_LAB_STATE). */
  useState(path: string): Promise<void>;
  close(): Promise<void>;
}

const SET_STATE = 'param([string] $Path) $env:PSREMEDY_LAB_STATE = $Path';

/** Opens a local session; with `lab`, the lab module is imported and management drops are off. */
export async function openScriptSession(
  options: { lab?: boolean; client?: boolean; statePath?: string; env?: Record<string, string> } = {},
): Promise<ScriptSession> {
  const module = options.client ? labClientModule() : labServerModule();
  if (options.lab && !module)
    throw new Error('the lab client module (lab/module/PSRemedyLabClient.psm1) is missing');
  const session: Session = await openSession(
    { kind: 'local' },
    {
      env: {
        ...(options.lab
          ? { PSREMEDY_LAB_STATE: options.statePath ?? '', PSREMEDY_LAB_MANAGEMENT_DROP: 'none' }
          : {}),
        ...options.env,
      },
      startupScripts: options.lab && module ? [module] : [],
    },
  );
  const scripts = new Map<string, { text: string; modules: ScriptModule[] }>();
  const runPath = async (
    path: string,
    params: Record<string, unknown> = {},
    runOptions: { whatIf?: boolean } = {},
  ) => {
    let script = scripts.get(path);
    if (script === undefined) {
      // Read as the playbook loader does: the script and the shared modules it declares.
      const text = readFileSync(path, 'utf8');
      const found = await readScriptModules(path, text);
      if (found.problems.length > 0) throw new Error(`${path}: ${found.problems[0]?.message}`);
      script = { text, modules: found.modules };
      scripts.set(path, script);
    }
    return session.run({
      script: script.text,
      modules: script.modules,
      scriptPath: path,
      params,
      timeoutMs: 60_000,
      ...runOptions,
    });
  };
  const run = (name: string, params: Record<string, unknown> = {}, runOptions: { whatIf?: boolean } = {}) =>
    runPath(join(scriptsDir, `${name}.ps1`), params, runOptions);
  return {
    runText: (text: string) => session.run({ script: text, params: {}, timeoutMs: 30_000 }),
    runPath,
    run,
    async result<T>(
      name: string,
      params: Record<string, unknown> = {},
      runOptions: { whatIf?: boolean } = {},
    ) {
      const outcome = await run(name, params, runOptions);
      if (outcome.status !== 'ok') {
        const where = outcome.error?.scriptStackTrace ?? '';
        throw new Error(
          `${name} ${outcome.status}: ${outcome.error?.message ?? outcome.diagnostics}\n${where}`,
        );
      }
      return outcome.result as T;
    },
    async useState(path: string) {
      const outcome = await session.run({ script: SET_STATE, params: { Path: path }, timeoutMs: 10_000 });
      if (outcome.status !== 'ok')
        throw new Error(`could not set PSREMEDY_LAB_STATE: ${outcome.error?.message}`);
    },
    close: () => session.close(),
  };
}

/** A finding as scripts return it. */
export interface Finding {
  cause: string;
  confidence: number;
  evidence: string;
}

/** The strongest finding for a cause (undefined when the script said nothing about it). */
export function strongest(findings: Finding[], cause: string): Finding | undefined {
  return findings.filter((f) => f.cause === cause).sort((a, b) => b.confidence - a.confidence)[0];
}

/** The causes a result names with confidence at or above `atLeast`. */
export function namedCauses(findings: Finding[], atLeast = 0.5): string[] {
  return [...new Set(findings.filter((f) => f.confidence >= atLeast).map((f) => f.cause))].sort();
}
