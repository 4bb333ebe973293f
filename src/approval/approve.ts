import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { UsageError } from '../core/errors.js';
import { listScriptModules, loadPlaybook, type ParamDoc } from '../playbook/index.js';
import {
  APPROVAL_FORMAT,
  type Approval,
  type ParamRule,
  RISK_LEVELS,
  type RiskLevel,
} from './approval-format.js';
import { collectBundle, sha256Hex, toBundlePath } from './bundle.js';
import { findFileLoads, formatFileLoads } from './file-loads.js';
import { defaultApproverName } from './keygen.js';
import { readSigningKey } from './keys.js';
import { listFixSteps, listScriptPaths } from './playbook-scripts.js';
import { compileParamPattern, isRiskAbove, parseParamPolicy } from './policy.js';
import { signApproval } from './signature.js';
import { parseExpiry } from './validity.js';

/** What `psremedy approve` was asked to approve. */
export interface ApproveOptions {
  playbookFile: string;
  keyFile: string;
  /** Fix step ids that may apply changes (default: every fix step within maxRisk). */
  steps?: string[];
  maxRisk?: string;
  targets?: string[];
  /** `K=V` fixes a value, `K=~regex` constrains it. */
  params?: string[];
  /** A duration (`30d`) or a date; default 30 days. */
  expires?: string;
  note?: string;
  /** Where to write (default: beside the playbook, `<name>.approval.json`). */
  out?: string;
  now?: Date;
}

/** What approve wrote, and what the approver should know about it. */
export interface ApproveResult {
  approvalFile: string;
  approval: Approval;
  /** Things the approval does not cover or that look unintended. */
  warnings: string[];
  /** Set when neither --steps nor --max-risk was given: the maximum that chose the steps. */
  defaultMaxRisk?: RiskLevel;
  /** Fix steps left out because they are above the maximum risk (given or default). */
  leftOut: Array<{ id: string; risk: RiskLevel }>;
}

/**
 * The maximum risk approved when neither --steps nor --max-risk is given: a disruptive fix (one
 * that can cut the connection) is approved only when the approver names it or raises the maximum.
 */
export const DEFAULT_MAX_RISK: RiskLevel = 'high';

/** The default approval path for a playbook: `dir/<name>.approval.json`. */
export function defaultApprovalPath(playbookFile: string): string {
  return join(dirname(playbookFile), `${basename(playbookFile, extname(playbookFile))}.approval.json`);
}

function readMaxRisk(value: string | undefined): RiskLevel | undefined {
  if (value === undefined) return undefined;
  if ((RISK_LEVELS as readonly string[]).includes(value)) return value as RiskLevel;
  throw new UsageError(`--max-risk ${value}: expected one of ${RISK_LEVELS.join(', ')}`);
}

/** Chooses the approved fix steps and maximum risk, refusing ids that are not fix steps. */
function choosePolicySteps(
  fixSteps: Array<{ id: string; risk: RiskLevel }>,
  allStepIds: string[],
  steps: string[] | undefined,
  maxRisk: RiskLevel | undefined,
): { fixSteps: string[]; maxRisk: RiskLevel; defaultMaxRisk?: RiskLevel; leftOut: ApproveResult['leftOut'] } {
  const byId = new Map(fixSteps.map((s) => [s.id, s]));
  for (const id of steps ?? []) {
    if (byId.has(id)) continue;
    const what = allStepIds.includes(id)
      ? 'is a diagnose step (diagnose steps always run)'
      : 'is not a step of the playbook';
    throw new UsageError(
      `--steps ${id} ${what}; fix steps: ${fixSteps.map((s) => s.id).join(', ') || 'none'}`,
    );
  }
  const defaultMaxRisk = steps || maxRisk ? undefined : DEFAULT_MAX_RISK;
  const ceiling = maxRisk ?? defaultMaxRisk;
  const chosen = steps
    ? fixSteps.filter((s) => steps.includes(s.id))
    : fixSteps.filter((s) => !ceiling || !isRiskAbove(s.risk, ceiling));
  const leftOut = steps ? [] : fixSteps.filter((s) => ceiling && isRiskAbove(s.risk, ceiling));
  const over = maxRisk ? chosen.filter((s) => isRiskAbove(s.risk, maxRisk)) : [];
  if (over.length > 0)
    throw new UsageError(
      `--steps ${over.map((s) => `${s.id} (risk ${s.risk})`).join(', ')} above --max-risk ${maxRisk}; raise --max-risk or leave the step out`,
    );
  const highest = chosen.reduce<RiskLevel>((max, s) => (isRiskAbove(s.risk, max) ? s.risk : max), 'low');
  return {
    fixSteps: chosen.map((s) => s.id),
    maxRisk: maxRisk ?? highest,
    ...(defaultMaxRisk ? { defaultMaxRisk } : {}),
    leftOut: leftOut.map((s) => ({ id: s.id, risk: s.risk })),
  };
}

const TRUE_WORDS = ['true', '$true', 'yes', 'y', '1', 'on'];
const FALSE_WORDS = ['false', '$false', 'no', 'n', '0', 'off'];

/**
 * Checks a `--param` rule against the playbook's declaration and writes a fixed value the way a
 * run's resolved value prints (`3389`, `true`), so verification compares like with like.
 */
function checkParamRule(name: string, rule: ParamRule, declared: Record<string, ParamDoc>): ParamRule {
  const param = Object.hasOwn(declared, name) ? declared[name] : undefined;
  if (!param)
    throw new UsageError(
      `--param ${name}: the playbook has no such param (it takes: ${Object.keys(declared).join(', ') || 'none'})`,
    );
  if (!('equals' in rule)) return rule;
  if (param.secret)
    throw new UsageError(
      `--param ${name} is secret: an approval may constrain it with ${name}=~regex but never hold its value`,
    );
  const value = rule.equals;
  const bad = (expected: string) => new UsageError(`--param ${name}=${value}: expected ${expected}`);
  if (param.type === 'int') {
    if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw bad('a whole number');
    return { equals: String(Number(value)) };
  }
  if (param.type === 'bool') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.includes(word)) return { equals: 'true' };
    if (FALSE_WORDS.includes(word)) return { equals: 'false' };
    throw bad('true or false');
  }
  if (param.type === 'enum') {
    const match = param.values?.find((v) => v.toLowerCase() === value.toLowerCase());
    if (match === undefined) throw bad(`one of ${param.values?.join(', ')}`);
    return { equals: match };
  }
  if (param.pattern && !compileParamPattern(param.pattern).test(value))
    throw bad(`a value matching /${param.pattern}/`);
  return rule;
}

/**
 * Checks the playbook as `validate` does, then signs an approval of exactly these bytes and this
 * policy with the approver's Ed25519 key, and writes it.
 */
export async function approvePlaybook(options: ApproveOptions): Promise<ApproveResult> {
  const now = options.now ?? new Date();
  const key = readSigningKey(options.keyFile);
  const maxRisk = readMaxRisk(options.maxRisk);
  const expires = parseExpiry(options.expires ?? '30d', now);
  const playbook = await loadPlaybook(options.playbookFile);
  const bytes = readFileSync(playbook.file);
  if (sha256Hex(bytes) !== playbook.sha256)
    throw new UsageError(`${playbook.file} changed while it was being approved; approve again`);
  const bundle = collectBundle(playbook.file, bytes, listScriptPaths(playbook.doc));
  for (const [file, script] of [...playbook.scripts, ...listScriptModules(playbook.scripts.values())])
    if (sha256Hex(bundle.bytes.get(file) ?? Buffer.alloc(0)) !== script.sha256)
      throw new UsageError(`${file} changed while it was being approved; approve again`);
  const loads = await findFileLoads(playbook.scripts);
  if (loads.length > 0)
    throw new UsageError(
      `cannot approve ${playbook.file}: its scripts load code from files, which a run would not take from the approved bytes:\n${formatFileLoads(loads, (f) => relative(process.cwd(), f) || f)}`,
    );

  const doc = playbook.doc;
  const steps = choosePolicySteps(
    listFixSteps(doc),
    doc.steps.map((s) => s.id),
    options.steps,
    maxRisk,
  );
  const params = parseParamPolicy(options.params ?? []);
  for (const [name, rule] of Object.entries(params)) params[name] = checkParamRule(name, rule, doc.params);
  const targets = (options.targets ?? [])
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);

  const warnings = [
    ...bundle.missing.map(
      (p) => `${p} is referenced but does not exist; a file created there later will fail verification`,
    ),
    ...bundle.dynamic.map(
      (d) => `${d.file}:${d.line}: the path ${d.text} is computed at run time and is not covered`,
    ),
  ];
  const hasTargetSteps = doc.steps.some((s) => s.on === 'target');
  if (hasTargetSteps && targets.length === 0)
    warnings.push(
      'the playbook has on: target steps but no --targets were given: every run will be refused (--targets local allows this machine)',
    );

  const approval = signApproval(
    {
      format: APPROVAL_FORMAT,
      playbook: { name: doc.name, file: toBundlePath(playbook.dir, playbook.file) },
      bundle: { digest: bundle.digest, files: bundle.files },
      policy: { fixSteps: steps.fixSteps, maxRisk: steps.maxRisk, targets, params },
      approver: { name: key.name ?? defaultApproverName(), keyFingerprint: key.fingerprint },
      created: now.toISOString(),
      expires: expires.toISOString(),
      ...(options.note === undefined ? {} : { note: options.note }),
    },
    key.key,
  );
  const approvalFile = options.out ?? defaultApprovalPath(playbook.file);
  writeFileSync(approvalFile, `${JSON.stringify(approval, null, 2)}\n`);
  return {
    approvalFile,
    approval,
    warnings,
    ...(steps.defaultMaxRisk ? { defaultMaxRisk: steps.defaultMaxRisk } : {}),
    leftOut: steps.leftOut,
  };
}
