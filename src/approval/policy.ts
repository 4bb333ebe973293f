import { ApprovalError, UsageError } from '../core/errors.js';
import { type Approval, type ParamRule, RISK_LEVELS, type RiskLevel } from './approval-format.js';

/** A fix step as the policy sees it. */
export interface FixStepRisk {
  id: string;
  risk: RiskLevel;
}

/** True when `risk` is above `max`. */
export function isRiskAbove(risk: RiskLevel, max: RiskLevel): boolean {
  return RISK_LEVELS.indexOf(risk) > RISK_LEVELS.indexOf(max);
}

/** Compiles a param pattern so it must match the whole value. */
export function compileParamPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/**
 * Parses `--param` policy specs: `K=V` fixes the value, `K=~regex` lets any value that fully
 * matches the regex through, `K=\~V` fixes a value that starts with `~`.
 */
export function parseParamPolicy(specs: string[]): Record<string, ParamRule> {
  const rules: Record<string, ParamRule> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`--param ${spec}: expected K=V (a fixed value) or K=~regex (a pattern)`);
    const name = spec.slice(0, eq);
    const value = spec.slice(eq + 1);
    if (value.startsWith('~')) {
      const pattern = value.slice(1);
      try {
        compileParamPattern(pattern);
      } catch (error) {
        throw new UsageError(`--param ${name}: ${(error as Error).message}`);
      }
      setOwn(rules, name, { matches: pattern });
    } else {
      setOwn(rules, name, { equals: value.startsWith('\\~') ? value.slice(1) : value });
    }
  }
  return rules;
}

/** Says in words what a rule allows. */
export function describeParamRule(rule: ParamRule, secret = false): string {
  if ('equals' in rule) return secret ? 'one fixed value' : `exactly ${JSON.stringify(rule.equals)}`;
  return `a value matching /${rule.matches}/`;
}

/** True when a host matches an allowed-target pattern (case-insensitive, `*` for any run of characters). */
export function isTargetAllowed(pattern: string, host: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(host);
}

/** Refuses (`target-not-allowed`) when a run's target is outside the approval. */
export function checkTargets(approval: Approval, targets: string[]): void {
  const allowed = approval.policy.targets;
  for (const host of targets) {
    if (allowed.some((pattern) => isTargetAllowed(pattern, host))) continue;
    const list = allowed.length ? allowed.join(', ') : 'none (approve with --targets)';
    throw new ApprovalError(
      `target ${host} is not allowed by the approval; allowed: ${list}`,
      'target-not-allowed',
      {
        target: host,
        allowed,
      },
    );
  }
}

/** A declared param, as the policy needs it. */
export interface DeclaredParam {
  default?: string | number | boolean;
  secret?: boolean;
}

/** Adds the approval's fixed values for params the run did not set (`given`: from --param or a params file). */
export function fillFixedParams(
  approval: Approval,
  raw: Record<string, string>,
  given: ReadonlySet<string>,
): Record<string, string> {
  const filled = { ...raw };
  for (const [name, rule] of Object.entries(approval.policy.params))
    if ('equals' in rule && !given.has(name)) filled[name] = rule.equals;
  return filled;
}

/**
 * Refuses (`param-outside-policy`) an effective param value (after defaults) the approval does
 * not allow: a fixed value must be exactly it, a pattern must match the whole value, and a param
 * the approval does not list must keep its playbook default. Secret values are never shown.
 */
export function checkParamValues(
  approval: Approval,
  effective: Record<string, unknown>,
  declared: Record<string, DeclaredParam>,
): void {
  const rules = approval.policy.params;
  for (const name of Object.keys(rules))
    if (!Object.hasOwn(declared, name))
      throw new ApprovalError(
        `policy.params names ${name}, which the playbook does not declare`,
        'malformed-approval',
        {
          field: `policy.params.${name}`,
        },
      );
  for (const [name, param] of Object.entries(declared)) {
    const value = effective[name];
    const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
    const shown = value === undefined ? 'not set' : param.secret ? '(secret)' : JSON.stringify(String(value));
    if (!rule) {
      if (value === undefined || String(value) === String(param.default)) continue;
      throw new ApprovalError(
        `param ${name}=${shown} is not in the approval, so only its playbook default (${JSON.stringify(param.default ?? null)}) may be used; approve with --param ${name}=V or ${name}=~regex`,
        'param-outside-policy',
        { param: name, allowed: 'the playbook default' },
      );
    }
    if (value === undefined && 'matches' in rule) continue;
    const text = value === undefined ? undefined : String(value);
    const allowed =
      text !== undefined &&
      ('equals' in rule ? text === rule.equals : compileParamPattern(rule.matches).test(text));
    if (!allowed)
      throw new ApprovalError(
        `param ${name}=${shown} is outside the approval, which allows ${describeParamRule(rule, param.secret)}`,
        'param-outside-policy',
        { param: name, allowed: describeParamRule(rule, param.secret) },
      );
  }
}

/**
 * Checks the approved fix steps against the playbook: each must exist and be a fix step, and
 * none may be riskier than the approval's maximum (`step-above-max-risk`).
 */
export function checkApprovedSteps(approval: Approval, fixSteps: FixStepRisk[]): void {
  const byId = new Map(fixSteps.map((s) => [s.id, s]));
  for (const id of approval.policy.fixSteps) {
    const step = byId.get(id);
    if (!step)
      throw new ApprovalError(
        `policy.fixSteps names ${id}, which is not a fix step of the playbook`,
        'malformed-approval',
        {
          field: 'policy.fixSteps',
          step: id,
        },
      );
    if (isRiskAbove(step.risk, approval.policy.maxRisk))
      throw new ApprovalError(
        `fix step ${id} has risk ${step.risk}, above the approved maximum ${approval.policy.maxRisk}`,
        'step-above-max-risk',
        { step: id, risk: step.risk, maxRisk: approval.policy.maxRisk },
      );
  }
}

// `__proto__` as a name must become a key (refused as undeclared), never the object's prototype.
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
