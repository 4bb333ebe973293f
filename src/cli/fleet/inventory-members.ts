/**
 * `psremedy run --inventory <file> [--limit <pattern>]`: the inventory's hosts, narrowed by the
 * limit, as the fleet's targets. Hosts with `lab:` become lab entries (one lab host each, named as
 * in the inventory); the others keep the transport the inventory gives them.
 */
import { UsageError } from '../../core/errors.js';
import type { InventoryHost } from '../../inventory/index.js';
import type { LabEntry } from '../../lab/lab-fleet.js';
import type { LoadedPlaybook } from '../../playbook/load-playbook.js';
import { formatProblem } from '../run-action.js';

/** The hosts an inventory gives a run: all lab hosts, or all real ones (never a mix). */
export type InventoryTargets =
  | { kind: 'lab'; entries: LabEntry[]; hosts: InventoryHost[] }
  | { kind: 'real'; hosts: InventoryHost[] };

/** Loads the inventory (checked against the playbook's params), prints its warnings, applies --limit. */
export async function readInventoryTargets(
  file: string,
  limit: string | undefined,
  playbook: LoadedPlaybook,
  io: { err(text: string): void },
): Promise<InventoryTargets> {
  const { loadInventory, playbookParamsOf, selectHosts } = await import('../../inventory/index.js');
  const inventory = await loadInventory(file, { playbook: playbookParamsOf(playbook) });
  for (const warning of inventory.warnings) io.err(formatProblem(warning));
  const hosts = selectHosts(inventory, limit);
  const labHosts = hosts.filter((h) => h.lab !== undefined);
  if (labHosts.length === 0) return { kind: 'real', hosts };
  if (labHosts.length < hosts.length) {
    const real = hosts.find((h) => h.lab === undefined) as InventoryHost;
    throw new UsageError(
      `${file}: ${labHosts[0]?.name} is a lab host and ${real.name} is not; a run reaches either lab hosts or real ones (narrow it with --limit)`,
    );
  }
  return {
    kind: 'lab',
    entries: hosts.map((h) => ({ name: h.name, scenario: h.lab as string })),
    hosts,
  };
}
