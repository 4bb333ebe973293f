import { Environment, Optional, type ParseResult, type TypeCheckResult } from '@marcbachmann/cel-js';

let environment: Environment | undefined;

const OPTIONS = {
  unlistedVariablesAreDyn: false,
  homogeneousAggregateLiterals: false,
  enableOptionalTypes: true,
  limits: {
    maxAstNodes: 2000,
    maxDepth: 50,
    maxListElements: 1000,
    maxMapEntries: 1000,
    maxCallArguments: 32,
  },
};

/**
 * The one CEL environment playbooks use: three map variables, `params`, `steps` and `causes`.
 * Anything else is an unknown variable. Built once, because building one is the slow part.
 */
export function getCelEnvironment(): Environment {
  environment ??= new Environment(OPTIONS)
    .registerVariable('params', 'map', { description: 'The resolved playbook params.' })
    .registerVariable('steps', 'map', { description: 'Earlier steps: status, result, findings.' })
    .registerVariable('causes', 'map', { description: 'Causes: detected, confidence.' });
  return environment;
}

const parsed = new Map<string, ParseResult>();

/** Parses an expression once and keeps it (throws the library's ParseError on bad syntax). */
export function parseCel(expression: string): ParseResult {
  let result = parsed.get(expression);
  if (!result) {
    result = getCelEnvironment().parse(expression);
    if (parsed.size > 5000) parsed.clear();
    parsed.set(expression, result);
  }
  return result;
}

/** The CEL type a param has in expressions (string and enum params are strings). */
export type CelParamType = 'string' | 'int' | 'bool' | 'dyn';

let checkBase: Environment | undefined;
const checkEnvironments = new Map<string, Environment>();

/**
 * Type-checks an expression as the run will see it: each param with its declared type, steps
 * with status, result and findings, causes with detected (bool) and confidence (double).
 */
export function checkCel(
  expression: string,
  paramTypes: Readonly<Record<string, CelParamType>>,
): TypeCheckResult {
  const key = JSON.stringify(Object.entries(paramTypes).sort(([a], [b]) => a.localeCompare(b)));
  let env = checkEnvironments.get(key);
  if (!env) {
    checkBase ??= new Environment(OPTIONS)
      .registerType({
        name: 'PsRemedyStep',
        schema: { status: 'string', result: 'dyn', findings: 'list<dyn>' },
      })
      .registerType({ name: 'PsRemedyCause', schema: { detected: 'bool', confidence: 'double' } })
      .registerVariable('steps', 'map<string, PsRemedyStep>')
      .registerVariable('causes', 'map<string, PsRemedyCause>');
    env = checkBase.clone().registerVariable({ name: 'params', schema: { ...paramTypes } });
    if (checkEnvironments.size > 100) checkEnvironments.clear();
    checkEnvironments.set(key, env);
  }
  return env.check(expression);
}

/** The names expressions may start with. */
export const EXPRESSION_ROOTS = ['params', 'steps', 'causes'] as const;

/**
 * JS data to CEL values: safe whole numbers become CEL ints (bigint) so `params.Port + 1` works;
 * other numbers stay doubles. Maps and lists are copied, never evaluated as code.
 */
export function toCelValue(value: unknown): unknown {
  // Integers past 2^53 are already inexact doubles (JSON): keep them doubles rather than invent digits.
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelValue);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCelValue(v);
    return out;
  }
  return value;
}

/** CEL values back to JSON-friendly JS: ints to numbers, Maps to objects, optionals unwrapped. */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      throw new RangeError(`the integer ${value} is too large to pass on exactly`);
    return Number(value);
  }
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = fromCelValue(v);
    return out;
  }
  if (value instanceof Optional) return value.hasValue() ? fromCelValue(value.value()) : null;
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromCelValue(v);
    return out;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
