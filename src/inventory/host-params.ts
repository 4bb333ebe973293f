import { suggestClosest } from '../playbook/did-you-mean.js';
import { convertParam } from '../playbook/resolve-params.js';
import type { ParamDoc } from '../playbook/schema.js';
import type { InventoryFormat } from './inventory-model.js';
import type { OnceProblems } from './once-problems.js';
import type { RawValue } from './raw-inventory.js';

/** What an inventory is checked against: the params a playbook declares. */
export interface PlaybookParams {
  name: string;
  params: Record<string, ParamDoc>;
  /** The param that names the playbook's target; a host's address fills it when unset. */
  targetParam?: string;
}

/**
 * A host's params. Own format: its `params`, each one the playbook must declare, converted to the
 * declared type. Ansible formats: the host's variables that are not `ansible_*`; with a playbook
 * only those it declares (matched without case, as PowerShell does), so an admin's other
 * variables stay variables; one that looks like a misspelt param is a warning. The param the
 * playbook's target is named by defaults to the host's address.
 */
export function resolveHostParams(
  format: InventoryFormat,
  merged: { vars: Map<string, RawValue>; params: Map<string, RawValue> },
  address: string,
  playbook: PlaybookParams | undefined,
  problems: OnceProblems,
): Record<string, unknown> {
  const own = format === 'psremedy';
  const candidates = own
    ? merged.params
    : new Map([...merged.vars].filter(([key]) => !key.startsWith('ansible_')));
  const out: Record<string, unknown> = {};
  if (!playbook) {
    for (const [key, raw] of candidates) out[key] = raw.value;
    return out;
  }
  const declared = Object.keys(playbook.params);
  for (const [key, raw] of candidates) {
    const name = declared.find((d) => d.toLowerCase() === key.toLowerCase());
    if (name === undefined) {
      const suggestion = suggestClosest(key, declared);
      if (own)
        problems.error(
          raw,
          `param "${key}" is not declared by playbook ${playbook.name}`,
          suggestion ? `did you mean "${suggestion}"?` : `its params: ${declared.join(', ') || '(none)'}`,
        );
      else if (suggestion)
        problems.warn(
          raw,
          `variable "${key}" is not a param of playbook ${playbook.name}; did you mean "${suggestion}"?`,
        );
      continue;
    }
    const converted = convertParam(playbook.params[name]!, raw.value);
    if ('error' in converted) problems.error(raw, `param "${name}": ${converted.error}`);
    else out[name] = converted.value;
  }
  const { targetParam } = playbook;
  if (targetParam !== undefined && !(targetParam in out)) out[targetParam] = address;
  return out;
}
