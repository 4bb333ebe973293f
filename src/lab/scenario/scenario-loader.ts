import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { PlaybookError } from '../../core/errors.js';
import { didYouMean } from '../../playbook/did-you-mean.js';
import { ProblemList } from '../../playbook/problem-list.js';
import { readYamlData } from '../../playbook/read-yaml-data.js';
import { describeValue, isPlainObject } from '../../playbook/schema-problems.js';
import { type DocPath, parseYamlSource, positionOfKey } from '../../playbook/yaml-source.js';
import type { CertificateEntry, HostState } from '../host-state.js';
import { SCENARIO_DIR } from '../lab-paths.js';
import { baseStateFile, readBaseStateJson, resolveBaseState } from './base-state.js';
import {
  CHANGE_OPERATIONS,
  type Change,
  type ChangeOperation,
  type Scenario,
  ScenarioFile,
} from './scenario-schema.js';
import { ChangeError } from './state-lookup.js';
import { applyChange, type PendingCertificate } from './state-patch.js';

/** A scenario with the host state its changes produce (certificates not yet made real). */
export interface LoadedScenario {
  scenario: Scenario;
  /** The base state with every change applied. */
  state: HostState;
  /** The base state as read. */
  baseState: HostState;
  /** Certificates the changes described by attributes. */
  pendingCertificates: Map<CertificateEntry, PendingCertificate>;
}

/** Finds a scenario file: a path, or a name in `dir` (default lab/scenarios). */
export async function findScenarioFile(nameOrPath: string, dir: string = SCENARIO_DIR): Promise<string> {
  if (nameOrPath.includes('/') || nameOrPath.includes('\\') || extname(nameOrPath) === '.yaml') {
    return isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
  }
  const names = await listScenarioNames(dir);
  if (names.includes(nameOrPath)) return join(dir, `${nameOrPath}.yaml`);
  const hint = didYouMean(nameOrPath, names);
  throw new PlaybookError(nameOrPath, [
    {
      file: dir,
      line: 1,
      col: 1,
      path: '',
      message: `no scenario named "${nameOrPath}"`,
      hint: hint || `run psremedy lab list; there are: ${names.join(', ')}`,
      severity: 'error',
    },
  ]);
}

/** Names of the scenarios in a folder, sorted. */
export async function listScenarioNames(dir: string = SCENARIO_DIR): Promise<string[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/**
 * Loads, validates and applies a scenario; every problem is reported with file:line:col. The host
 * clock starts at `now` (the real now by default); give two loads one `now` to compare them.
 */
export async function loadScenario(
  nameOrPath: string,
  dir?: string,
  now: Date = new Date(),
): Promise<LoadedScenario> {
  const file = await findScenarioFile(nameOrPath, dir);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new PlaybookError(file, [
      problemAtTop(file, `cannot read the scenario: ${error.code ?? error.message}`),
    ]);
  });
  const source = parseYamlSource(text.replace(/^\uFEFF/, ''));
  const problems = new ProblemList(file, source);
  // As for playbooks: syntax errors at their position, aliases before anchors and alias bombs refused.
  const data: unknown = readYamlData(source, problems);
  if (problems.hasErrors) throw new PlaybookError(file, problems.sorted());

  const parsed = ScenarioFile.safeParse(data);
  if (!parsed.success) addIssues(parsed.error.issues, [], problems, source);
  const rawChanges = parsed.success ? parsed.data.changes : (data as { changes?: unknown } | null)?.changes;
  const changes: Change[] = [];
  if (Array.isArray(rawChanges)) {
    rawChanges.forEach((raw, index) => {
      const change = parseChange(raw, ['changes', index], problems, source);
      if (change) changes.push(change);
    });
  }
  if (!parsed.success) throw new PlaybookError(file, problems.sorted());
  const top = parsed.data;
  if (top.name !== basename(file, extname(file))) {
    problems.add(
      ['name'],
      `the name "${top.name}" differs from the file name`,
      `rename the file to ${top.name}.yaml or fix name:`,
    );
  }
  const baseState = await readBase(top.base, file, problems, now);
  if (problems.hasErrors || !baseState) throw new PlaybookError(file, problems.sorted());

  const state = structuredClone(baseState);
  const pendingCertificates = new Map<CertificateEntry, PendingCertificate>();
  changes.forEach((change, index) => {
    try {
      applyChange(state, change, pendingCertificates);
    } catch (error) {
      if (error instanceof ChangeError)
        problems.add(['changes', index, change.op], error.message, error.hint);
      // A time past year 275760 (RangeError), or a base state without the part a change edits.
      else if (error instanceof Error)
        problems.add(
          ['changes', index, change.op],
          `cannot apply ${change.op}: ${error instanceof RangeError ? 'a time is out of range' : error.message}`,
          error instanceof RangeError
            ? 'use a time between the years 1970 and 9999, e.g. clock-30d'
            : BASE_HINT,
        );
      else throw error;
    }
  });
  if (problems.hasErrors) throw new PlaybookError(file, problems.sorted());
  return { scenario: { ...top, changes, file }, state, baseState, pendingCertificates };
}

/** Checks one change: a map with exactly one known operation key whose value has that operation's shape. */
function parseChange(
  raw: unknown,
  path: DocPath,
  problems: ProblemList,
  source: ReturnType<typeof parseYamlSource>,
): Change | undefined {
  const operations = Object.keys(CHANGE_OPERATIONS);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.keys(raw).length !== 1) {
    problems.add(
      path,
      'a change is a map with exactly one operation key',
      `e.g. - setService: { name: TermService, status: Stopped }`,
    );
    return undefined;
  }
  const [op, arg] = Object.entries(raw)[0]!;
  if (!operations.includes(op)) {
    const hint = didYouMean(op, operations);
    problems.addAt(
      positionOfKey(source, [...path, op]),
      [...path, op],
      `unknown change "${op}"`,
      hint || `use one of: ${operations.join(', ')}`,
    );
    return undefined;
  }
  const schema = CHANGE_OPERATIONS[op as ChangeOperation] as z.ZodType;
  const parsed = schema.safeParse(arg);
  if (!parsed.success) {
    addIssues(parsed.error.issues, [...path, op], problems, source);
    return undefined;
  }
  return { op, arg: parsed.data } as Change;
}

function addIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: DocPath,
  problems: ProblemList,
  source: ReturnType<typeof parseYamlSource>,
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.addAt(positionOfKey(source, [...path, key]), [...path, key], `unknown key "${key}"`);
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      problems.add(path, `missing required key "${String(path[path.length - 1])}"`);
    } else {
      problems.add(path, issue.message);
    }
  }
}

async function readBase(
  base: string,
  scenarioFile: string,
  problems: ProblemList,
  now: Date,
): Promise<HostState | undefined> {
  const file = baseStateFile(base, dirname(scenarioFile));
  try {
    const state = await readBaseStateJson(file);
    if (!isPlainObject(state)) {
      problems.add(['base'], `the base host state is ${describeValue(state)}, not a JSON object`, BASE_HINT);
      return undefined;
    }
    return await resolveBaseState(state as unknown as HostState, now);
  } catch (error) {
    problems.add(
      ['base'],
      `cannot read the base host state ${file}: ${(error as Error).message}`,
      'base: healthy names lab/hosts/healthy.json',
    );
    return undefined;
  }
}

const BASE_HINT = 'base: healthy names lab/hosts/healthy.json (see lab/STATE.md for the shape)';

function problemAtTop(file: string, message: string) {
  return { file, line: 1, col: 1, path: '', message, severity: 'error' as const };
}
