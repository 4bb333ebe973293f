/**
 * Ansible's host ranges: `web[01:10].example.com`, `db-[a:f]`, `node[1:9:2]`, several per name.
 * As ansible.inventory.expand_hosts does it: a leading zero pads to the width of the start (start
 * and end must then have the same width), letters range over a-z/A-Z, a step is optional.
 */

/** True when a host name holds a `[start:end]` range to expand. */
export function hasHostRange(name: string): boolean {
  return /\[[^\]]*:[^\]]*\]/.test(name);
}

/** The host names a pattern stands for, or why it is not a valid range. */
export function expandHostRange(pattern: string): { names: string[] } | { error: string } {
  const match = /^(.*?)\[([^\]]*)\](.*)$/.exec(pattern);
  if (!match || !match[2]!.includes(':')) return { names: [pattern] };
  const [, head = '', body = '', tail = ''] = match;
  const parts = body.split(':');
  if (parts.length > 3) return { error: `range [${body}] must be [start:end] or [start:end:step]` };
  const [rawStart = '', end = '', stepText] = parts;
  const start = rawStart === '' ? '0' : rawStart;
  if (end === '') return { error: `range [${body}] has no end` };
  const step = stepText === undefined || stepText === '' ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) return { error: `range [${body}] has a bad step "${stepText}"` };
  const middles = expandMiddle(start, end, step, body);
  if ('error' in middles) return middles;
  const rest = expandHostRange(tail);
  if ('error' in rest) return rest;
  const names: string[] = [];
  for (const middle of middles.values) for (const after of rest.names) names.push(`${head}${middle}${after}`);
  return { names };
}

/** Ranges beyond this many hosts are refused (a typo such as [1:100000] is not a fleet). */
export const MAX_RANGE_HOSTS = 10_000;

function expandMiddle(
  start: string,
  end: string,
  step: number,
  body: string,
): { values: string[] } | { error: string } {
  const letters = /^[a-zA-Z]$/;
  if (letters.test(start) && letters.test(end)) {
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const from = alphabet.indexOf(start);
    const to = alphabet.indexOf(end);
    if (from > to) return { error: `range [${body}] must go from a lower to a higher letter` };
    const values: string[] = [];
    for (let i = from; i <= to; i += step) values.push(alphabet[i]!);
    return { values };
  }
  if (!/^\d+$/.test(start) || !/^\d+$/.test(end))
    return { error: `range [${body}] must be numbers (01:10) or single letters (a:f)` };
  const padded = start.length > 1 && start.startsWith('0');
  if (padded && start.length !== end.length)
    return { error: `range [${body}] must give start and end with the same number of digits` };
  const from = Number(start);
  const to = Number(end);
  if (from > to) return { error: `range [${body}] must go from a lower to a higher number` };
  if ((to - from) / step >= MAX_RANGE_HOSTS)
    return { error: `range [${body}] makes more than ${MAX_RANGE_HOSTS} hosts` };
  const values: string[] = [];
  for (let i = from; i <= to; i += step)
    values.push(padded ? String(i).padStart(start.length, '0') : String(i));
  return { values };
}

/**
 * Splits Ansible's `host:port` (or `[host]:port` for IPv6) as its inventory parsers do; a bare
 * IPv6 address (several colons) has no port.
 */
export function splitHostPort(pattern: string): { host: string; port?: string } {
  const bracketed = /^\[(.+)\]:(\d+)$/.exec(pattern);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2]! };
  const plain = /^((?:[^:[\]]|\[[^\]]*\])*):(\d+)$/.exec(pattern);
  if (plain) return { host: plain[1]!, port: plain[2]! };
  return { host: pattern };
}
