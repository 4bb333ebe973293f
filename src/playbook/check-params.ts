import type { ProblemList } from './problem-list.js';
import { describeValue, isPlainObject } from './schema-problems.js';

/** Checks each param definition: default of the right type, enum values, a pattern that compiles. */
export function checkParamDefinitions(params: unknown, problems: ProblemList): void {
  if (!isPlainObject(params)) return;
  for (const [name, definition] of Object.entries(params)) {
    if (!isPlainObject(definition)) continue;
    const path = ['params', name];
    const type = definition.type ?? 'string';
    const values = Array.isArray(definition.values) ? definition.values.map(String) : undefined;
    if (type === 'enum' && !values)
      problems.add(path, 'an enum param needs its allowed values', 'add values: [a, b, c]');
    if (type !== 'enum' && definition.values !== undefined)
      problems.add(
        [...path, 'values'],
        `values only apply to type: enum (this param is type: ${String(type)})`,
      );
    let pattern: RegExp | undefined;
    if (typeof definition.pattern === 'string') {
      try {
        pattern = compileParamPattern(definition.pattern);
      } catch (error) {
        problems.add([...path, 'pattern'], `not a valid regular expression: ${(error as Error).message}`);
      }
      if (type !== 'string')
        problems.add(
          [...path, 'pattern'],
          `pattern only applies to type: string (this param is type: ${String(type)})`,
        );
    }
    if (definition.required === true && definition.default !== undefined)
      problems.add(
        [...path, 'default'],
        'a required param with a default is never missing',
        'drop required: true or the default',
        'warning',
      );
    if (definition.default === undefined) continue;
    const problem = checkDefault(definition.default, String(type), values, pattern);
    if (problem) problems.add([...path, 'default'], problem.message, problem.hint);
  }
}

/** A param pattern as a RegExp that must match the whole value. */
export function compileParamPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function checkDefault(
  value: unknown,
  type: string,
  values: string[] | undefined,
  pattern: RegExp | undefined,
): { message: string; hint?: string } | undefined {
  const got = describeValue(value);
  if (type === 'int' && !(typeof value === 'number' && Number.isSafeInteger(value)))
    return {
      message: `the default must be a whole number (type: int), not ${got}`,
      ...(typeof value === 'string' && /^-?\d+$/.test(value) ? { hint: 'remove the quotes' } : {}),
    };
  if (type === 'bool' && typeof value !== 'boolean')
    return { message: `the default must be true or false (type: bool), not ${got}` };
  if (type === 'string' && typeof value !== 'string')
    return {
      message: `the default must be a string (type: string), not ${got}`,
      hint: `quote it: "${String(value)}"`,
    };
  if (type === 'string' && pattern && typeof value === 'string' && !pattern.test(value))
    return { message: `the default ${got} does not match the pattern` };
  if (type === 'enum' && values && !values.includes(String(value)))
    return { message: `the default ${got} is not one of ${values.join(', ')}` };
  return undefined;
}
