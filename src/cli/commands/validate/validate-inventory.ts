import type { PlaybookProblem } from '../../../core/errors.js';
import { PlaybookError } from '../../../core/errors.js';
import type { LoadedPlaybook } from '../../../playbook/index.js';
import type { FileVerdict } from './validate-playbooks.js';

/**
 * Checks an inventory against every playbook that loaded (its params each one declares, their
 * types) and gives one verdict for the inventory file, each problem said once.
 */
export async function validateInventory(file: string, playbooks: LoadedPlaybook[]): Promise<FileVerdict> {
  const { loadInventory, playbookParamsOf } = await import('../../../inventory/index.js');
  const problems = new Map<string, PlaybookProblem>();
  let hosts = 0;
  for (const playbook of playbooks.length > 0 ? playbooks : [undefined]) {
    try {
      const options = playbook ? { playbook: playbookParamsOf(playbook) } : {};
      const inventory = await loadInventory(file, options);
      hosts = inventory.hosts.length;
      for (const p of inventory.warnings) problems.set(`${p.line}:${p.col}:${p.message}`, p);
    } catch (error) {
      if (!(error instanceof PlaybookError)) throw error;
      for (const p of error.problems) problems.set(`${p.line}:${p.col}:${p.message}`, p);
    }
  }
  const list = [...problems.values()].sort((a, b) => a.line - b.line || a.col - b.col);
  return { file, valid: !list.some((p) => p.severity === 'error'), problems: list, hosts };
}
