import type { WithValueKind } from './with-value-kind.js';

const NUMERIC = new Set([
  'System.Byte',
  'System.SByte',
  'System.Int16',
  'System.UInt16',
  'System.Int32',
  'System.UInt32',
  'System.Int64',
  'System.UInt64',
  'System.Single',
  'System.Double',
  'System.Decimal',
]);
const SWITCH = 'System.Management.Automation.SwitchParameter';
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
// What PowerShell converts to a number: decimal, with exponent, or hex; spaces around are allowed.
const NUMBER_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$|^\s*0x[0-9a-f]+\s*$/i;

/**
 * Why PowerShell's parameter binding would refuse this value for a parameter of this .NET type,
 * or undefined when it fits or only the run can tell. Only certain refusals are reported (checked
 * against real binding in test/powershell/script-param-fit.test.ts); unknown types always fit.
 */
export function whyValueCannotBind(value: WithValueKind, type: string): string | undefined {
  if (value.kind === 'unknown' || type.endsWith('[]')) return undefined;
  const what = describeKind(value);
  if (NUMERIC.has(type)) {
    if (value.kind === 'list' || value.kind === 'map') return `${what} cannot be converted to a number`;
    if (value.kind === 'string' && value.value !== undefined && !NUMBER_TEXT.test(value.value))
      return `${what} is not a number`;
    if (value.kind === 'string' && value.oneOf?.every((v) => !NUMBER_TEXT.test(v)))
      return `${what} is never a number (it is one of ${value.oneOf.join(', ')})`;
    if (
      type === 'System.Int32' &&
      value.kind === 'number' &&
      value.value !== undefined &&
      (value.value < INT32_MIN || value.value > INT32_MAX)
    )
      return `${what} is outside the range of [int] (${INT32_MIN} to ${INT32_MAX})`;
    return undefined;
  }
  if (type === 'System.Boolean') {
    if (value.kind === 'string' || value.kind === 'list' || value.kind === 'map' || value.kind === 'null')
      return `${what} cannot be passed: PowerShell binds only true/false or a number to it`;
    return undefined;
  }
  if (type === SWITCH) {
    if (value.kind === 'string' || value.kind === 'list' || value.kind === 'map' || value.kind === 'number')
      return `${what} cannot be passed: PowerShell binds only true/false to a switch`;
    return undefined;
  }
  if (type === 'System.String' && value.kind === 'list') return `${what} cannot be converted to one string`;
  return undefined;
}

/** The value as messages name it: `"abc"`, `a list`, `params.Mode (a string)`. */
export function describeKind(value: WithValueKind): string {
  const noun =
    value.kind === 'string'
      ? 'a string'
      : value.kind === 'number'
        ? 'a number'
        : value.kind === 'bool'
          ? 'true/false'
          : value.kind === 'null'
            ? 'an empty value (null)'
            : value.kind === 'list'
              ? 'a list'
              : value.kind === 'map'
                ? 'a map'
                : 'a value';
  if (value.kind === 'string' && value.value !== undefined) return JSON.stringify(value.value);
  if (value.kind === 'number' && value.value !== undefined) return `the number ${value.value}`;
  const from = 'from' in value ? value.from : undefined;
  return from === undefined ? noun : `${from} (${noun})`;
}
