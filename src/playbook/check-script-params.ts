import { basename } from 'node:path';
import type { PlaybookProblem } from '../core/errors.js';
import { paramTypesOf } from './check-expressions.js';
import { didYouMean } from './did-you-mean.js';
import type { ExpressionScope } from './expression-check.js';
import type { LoadedPlaybook } from './load-playbook.js';
import { ProblemList } from './problem-list.js';
import type { StepDoc } from './schema.js';
import type { ScriptRole } from './script-files.js';
import { describeKind, whyValueCannotBind } from './script-param-fit.js';
import { type WithValueKind, withValueKind } from './with-value-kind.js';
import { parseYamlSource, positionOfKey } from './yaml-source.js';

/** One parameter of a script's `param()` block, as PowerShell's parser reads it. */
export interface DeclaredScriptParam {
  name: string;
  aliases: string[];
  /** The .NET type it is declared as (`System.Int32`); `System.Object` when untyped. */
  type: string;
  mandatory: boolean;
  validateSet: string[] | null;
}

/** A script's `param()` block; `isAdvanced` scripts refuse names they do not declare. */
export interface DeclaredScriptParams {
  isAdvanced: boolean;
  parameters: DeclaredScriptParam[];
}

// Every advanced script takes these (SupportsShouldProcess adds WhatIf and Confirm).
const COMMON = [
  'Verbose',
  'Debug',
  'ErrorAction',
  'WarningAction',
  'InformationAction',
  'ProgressAction',
  'ErrorVariable',
  'WarningVariable',
  'InformationVariable',
  'OutVariable',
  'OutBuffer',
  'PipelineVariable',
  'WhatIf',
  'Confirm',
];

/** What the engine passes besides `with:` (undo-change.ts: the before-state). */
const EXTRA_BY_ROLE: Partial<Record<ScriptRole, string[]>> = { undo: ['Before'] };

/**
 * Checks each step's `with:` against the `param()` blocks of the scripts it runs, as PowerShell's
 * binding will: names it does not declare, mandatory ones not given, values of a type that
 * cannot bind, and values outside a ValidateSet. Scripts without a param block are not checked.
 */
export function checkScriptParams(
  playbook: LoadedPlaybook,
  file: string,
  declaredOf: (scriptPath: string) => DeclaredScriptParams | undefined,
): PlaybookProblem[] {
  const source = parseYamlSource(playbook.source);
  const problems = new ProblemList(file, source);
  const { doc } = playbook;
  const enumValues: Record<string, string[]> = {};
  for (const [name, param] of Object.entries(doc.params)) if (param.values) enumValues[name] = param.values;
  const steps = new Map(doc.steps.map((step, index) => [step.id, index] as const));
  doc.steps.forEach((step, index) => {
    const scope: ExpressionScope = {
      params: new Set(Object.keys(doc.params)),
      paramTypes: paramTypesOf(doc.params),
      causes: new Set(doc.causes.map((c) => c.id)),
      steps,
      currentStep: index,
    };
    const values = Object.entries(step.with ?? {}).map(
      ([key, value]) => [key, withValueKind(value, scope, enumValues)] as const,
    );
    for (const role of rolesOf(step)) {
      const declared = declaredOf(playbook.scriptPath(step, role));
      if (!declared) continue;
      const script = basename(String((step as Partial<Record<ScriptRole, unknown>>)[role]));
      checkOneScript(problems, index, step, script, declared, values, EXTRA_BY_ROLE[role] ?? []);
    }
  });
  return problems.sorted();
}

function rolesOf(step: StepDoc): ScriptRole[] {
  if (step.kind === 'diagnose') return ['script'];
  return typeof step.undo === 'string' ? ['test', 'apply', 'undo'] : ['test', 'apply'];
}

function checkOneScript(
  problems: ProblemList,
  index: number,
  step: StepDoc,
  script: string,
  declared: DeclaredScriptParams,
  values: ReadonlyArray<readonly [string, WithValueKind]>,
  extra: readonly string[],
): void {
  const bound = new Set<DeclaredScriptParam>();
  for (const [key, value] of values) {
    const path = ['steps', index, 'with', key];
    const matches = matchParameter(declared.parameters, key);
    if (matches.length > 1) {
      problems.addAt(
        positionOfKey(problems.source!, path),
        path,
        `-${key} is ambiguous for ${script}: it starts ${matches.map((p) => `-${p.name}`).join(' and ')}`,
        'write the whole parameter name',
      );
      continue;
    }
    const parameter = matches[0];
    if (!parameter) {
      if (declared.isAdvanced && !COMMON.some((c) => c.toLowerCase().startsWith(key.toLowerCase())))
        problems.addAt(
          positionOfKey(problems.source!, path),
          path,
          `${script} has no parameter -${key}`,
          didYouMean(
            key,
            declared.parameters.map((p) => p.name),
          ) || describeParameters(declared),
        );
      continue;
    }
    bound.add(parameter);
    const why = whyValueCannotBind(value, parameter.type);
    if (why) problems.add(path, `-${parameter.name} of ${script} is [${shortType(parameter.type)}]: ${why}`);
    const outside = outsideValidateSet(value, parameter.validateSet);
    if (outside)
      problems.add(
        path,
        `-${parameter.name} of ${script} accepts only ${parameter.validateSet?.join(', ')}; ${outside}`,
      );
  }
  const missing = declared.parameters.filter(
    (p) => p.mandatory && !bound.has(p) && !extra.some((e) => e.toLowerCase() === p.name.toLowerCase()),
  );
  if (missing.length > 0)
    problems.add(
      step.with ? ['steps', index, 'with'] : ['steps', index],
      `${script} needs ${missing.map((p) => `-${p.name}`).join(', ')} (mandatory), which with: does not give`,
      `add ${missing.map((p) => `${p.name}: ...`).join(', ')} under with:`,
    );
}

// PowerShell binds a name, an alias, or any unambiguous prefix of either.
function matchParameter(parameters: DeclaredScriptParam[], key: string): DeclaredScriptParam[] {
  const lower = key.toLowerCase();
  const names = (p: DeclaredScriptParam): string[] => [p.name, ...p.aliases].map((n) => n.toLowerCase());
  const exact = parameters.filter((p) => names(p).includes(lower));
  if (exact.length > 0) return exact;
  return parameters.filter((p) => names(p).some((n) => n.startsWith(lower)));
}

function outsideValidateSet(value: WithValueKind, set: string[] | null): string | undefined {
  if (!set) return undefined;
  const allowed = new Set(set.map((s) => s.toLowerCase()));
  // PowerShell compares the value's text with the set, ignoring case.
  const literal = value.kind === 'string' || value.kind === 'number' ? value.value : undefined;
  if (literal !== undefined)
    return allowed.has(String(literal).toLowerCase())
      ? undefined
      : `${describeKind(value)} is not one of them`;
  if (value.kind !== 'string') return undefined;
  const outside = value.oneOf?.filter((v) => !allowed.has(v.toLowerCase())) ?? [];
  return outside.length > 0 ? `${value.from} can be ${outside.map((v) => `"${v}"`).join(', ')}` : undefined;
}

function describeParameters(declared: DeclaredScriptParams): string {
  return declared.parameters.length === 0
    ? 'it takes no parameters'
    : `its parameters: ${declared.parameters.map((p) => p.name).join(', ')}`;
}

function shortType(type: string): string {
  const map: Record<string, string> = {
    'System.Int32': 'int',
    'System.Int64': 'long',
    'System.String': 'string',
    'System.Boolean': 'bool',
    'System.Double': 'double',
    'System.Management.Automation.SwitchParameter': 'switch',
  };
  return map[type] ?? type;
}
