/** What a playbook's `target.host` template says about where it runs. */
import { soleExpression } from './template-text.js';

/** `host: "${{ params.ComputerName }}"` names the param that --lab can fill with the lab host's name. */
export function hostParamOf(host: string | undefined): string | undefined {
  const sole = host === undefined ? undefined : soleExpression(host);
  return sole ? /^\s*params\.([A-Za-z][A-Za-z0-9_]*)\s*$/.exec(sole.expression)?.[1] : undefined;
}
