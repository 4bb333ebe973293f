import type { LoadedPlaybook } from '../playbook/load-playbook.js';
import { hostParamOf } from '../playbook/target-host.js';
import type { PlaybookParams } from './host-params.js';

/**
 * What an inventory needs of a playbook: its name, its params, and the param its `target.host`
 * is (`${{ params.ComputerName }}` in rdp-0x904), which each host gets its address for unless
 * the inventory gives it one.
 */
export function playbookParamsOf(playbook: LoadedPlaybook): PlaybookParams {
  const named = hostParamOf(playbook.doc.target?.host);
  return {
    name: playbook.doc.name,
    params: playbook.doc.params,
    ...(named !== undefined && named in playbook.doc.params ? { targetParam: named } : {}),
  };
}
