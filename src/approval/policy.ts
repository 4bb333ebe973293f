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
      rules[name] = { matches: pattern };
    } else {
      rules[name] = { equals: value.startsWith('\\~') ? value.slice(1) : value };
    }
  }
  return rules;
}

/** Says in words what a rule allows. */
export function describeParamRule(rule: ParamRule): string {
  return 'equals' in rule ? `exactly ${JSON.stringify(rule.equals)}` : `a value matching /${rule.matches}/`;
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

/**
 * Refuses (`param-outside-policy`) a given param the approval does not list, or one whose value
 * breaks its rule; returns the params the run uses, with the approval's fixed values filled in.
 * A param not given is checked through its playbook default. Values of `secrets` are never shown.
 */
export function applyParamPolicy(
  approval: Approval,
  given: Record<string, unknown>,
  defaults: Record<string, unknown>,
  secrets: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const rules = approval.policy.params;
  const refuse = (name: string, message: string, rule?: ParamRule): never => {
    throw new ApprovalError(message, 'param-outside-policy', {
      param: name,
      allowed: rule ? describeParamRule(rule) : 'not given',
    });
  };
  const effective: Record<string, unknown> = { ...given };
  for (const name of Object.keys(given)) {
    if (!rules[name])
      refuse(
        name,
        `param ${name} is not in the approval, so it must not be given (the playbook default applies); approve with --param ${name}=V or ${name}=~regex`,
      );
  }
  for (const [name, rule] of Object.entries(rules)) {
    const value = name in given ? given[name] : 'equals' in rule ? rule.equals : defaults[name];
    if (value === undefined) continue;
    const text = String(value);
    const allowed = 'equals' in rule ? text === rule.equals : compileParamPattern(rule.matches).test(text);
    if (!allowed)
      refuse(
        name,
        `param ${name}=${secrets.has(name) ? '(secret)' : JSON.stringify(text)}${name in given ? '' : ' (the playbook default)'} is outside the approval, which allows ${describeParamRule(rule)}`,
        rule,
      );
    effective[name] = value;
  }
  return effective;
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
