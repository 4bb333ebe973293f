/**
 * Reads what scripts return, by the playbook contract: diagnose -> `{ findings: [...] }`, test ->
 * `{ compliant, state, summary?, cannotFix? }`, apply -> `{ changed, before, after }`. PowerShell property names are
 * case-insensitive, so these are too.
 */
import type { Finding } from '../core/step-status.js';

/** A test script's answer; `compliant` is null when it did not say true or false. */
export interface TestResult {
  compliant: boolean | null;
  state: unknown;
  /** The script's own words for the state (`summary`, or the older `reason`): one or more lines. */
  summary: string[];
  /** Set when the fix cannot remedy this state (e.g. Group Policy controls it): why, in the script's words. */
  cannotFix: string | null;
}

/** An apply script's answer. */
export interface ApplyResult {
  changed: boolean;
  before: unknown;
  after: unknown;
}

/** Reads `{ compliant, state, summary, cannotFix }`. */
export function readTestResult(result: unknown): TestResult {
  const compliant = readProperty(result, 'compliant');
  const words = readProperty(result, 'summary') ?? readProperty(result, 'reason');
  const summary = (Array.isArray(words) ? words : [words]).filter(
    (line): line is string => typeof line === 'string' && line.trim() !== '',
  );
  const cannotFix = readProperty(result, 'cannotFix');
  return {
    compliant: typeof compliant === 'boolean' ? compliant : null,
    state: readProperty(result, 'state') ?? null,
    summary,
    cannotFix: typeof cannotFix === 'string' && cannotFix !== '' ? cannotFix : null,
  };
}

/** Reads `{ changed, before, after }`; a missing `changed` counts as true (it ran). */
export function readApplyResult(result: unknown): ApplyResult {
  const changed = readProperty(result, 'changed');
  return {
    changed: typeof changed === 'boolean' ? changed : true,
    before: readProperty(result, 'before') ?? null,
    after: readProperty(result, 'after') ?? null,
  };
}

/** Reads a diagnose result's findings; malformed entries are reported, not guessed. */
export function readFindings(result: unknown): { findings: Finding[]; problems: string[] } {
  const raw = readProperty(result, 'findings');
  if (raw === undefined || raw === null) return { findings: [], problems: [] };
  const list = Array.isArray(raw) ? raw : [raw];
  const findings: Finding[] = [];
  const problems: string[] = [];
  for (const [i, item] of list.entries()) {
    const cause = readProperty(item, 'cause');
    const confidence = readProperty(item, 'confidence');
    const evidence = readProperty(item, 'evidence');
    if (typeof cause !== 'string' || typeof confidence !== 'number' || confidence < 0 || confidence > 1) {
      problems.push(`findings[${i}] needs cause (text) and confidence (0..1), got ${JSON.stringify(item)}`);
      continue;
    }
    findings.push({
      cause,
      confidence,
      evidence: typeof evidence === 'string' ? evidence : JSON.stringify(evidence ?? ''),
    });
  }
  return { findings, problems };
}

/** A property of a JSON object, matched case-insensitively. */
export function readProperty(value: unknown, name: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}
