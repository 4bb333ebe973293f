import { UsageError } from '../../../core/errors.js';
import { EXIT } from '../../../core/exit-codes.js';
import type { Inventory, InventoryHost } from '../../../inventory/index.js';
import type { TargetSpec } from '../../../powershell/types.js';
import { formatProblem, type Io, processIo } from '../../run-action.js';

const FORMAT_NAMES: Record<Inventory['format'], string> = {
  'ansible-yaml': 'Ansible YAML',
  'ansible-ini': 'Ansible INI',
  psremedy: 'psremedy inventory',
};

/** Loads an inventory, selects `--limit`, and prints the hosts as a table or JSON. */
export async function listInventory(
  file: string,
  options: { limit?: string; playbook?: string; output: string },
  io: Io = processIo,
): Promise<number> {
  if (options.output !== 'text' && options.output !== 'json')
    throw new UsageError(`--output ${options.output} is not one of: text, json`);
  const { loadInventory, selectHosts } = await import('../../../inventory/index.js');
  const playbook = options.playbook === undefined ? undefined : await loadPlaybookParams(options.playbook);
  const inventory = await loadInventory(file, playbook ? { playbook } : {});
  for (const warning of inventory.warnings) io.err(formatProblem(warning));
  const hosts = selectHosts(inventory, options.limit);
  if (options.output === 'json') {
    io.out(JSON.stringify(describeInventory(inventory, hosts), null, 2));
    return EXIT.ok;
  }
  const rows = hosts.map((h) => [
    h.name,
    describeTransport(h),
    h.groups.join(',') || '-',
    describeParams(h.params),
  ]);
  const header = ['HOST', 'TRANSPORT', 'GROUPS', 'PARAMS'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows])
    io.out(
      row
        .map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell))
        .join('  ')
        .trimEnd(),
    );
  const total = inventory.hosts.length;
  const shown =
    hosts.length === total
      ? `${total} host(s)`
      : `${hosts.length} of ${total} host(s) (--limit ${options.limit})`;
  io.out(`\n${shown} from ${file} (${FORMAT_NAMES[inventory.format]})`);
  return EXIT.ok;
}

async function loadPlaybookParams(argument: string) {
  const { resolvePlaybookArgument } = await import('../../../playbook/shipped-playbooks.js');
  const { loadPlaybook } = await import('../../../playbook/index.js');
  const { playbookParamsOf } = await import('../../../inventory/index.js');
  return playbookParamsOf(await loadPlaybook(resolvePlaybookArgument(argument)));
}

/** How a host is reached, in one cell: `winrm https 10.0.0.11:5986`, `ssh admin@jump`, `lab firewall-closed`. */
export function describeTransport(host: InventoryHost): string {
  if (host.lab !== undefined) return `lab ${host.lab}`;
  return describeTarget(host.target);
}

function describeTarget(target: TargetSpec): string {
  if (target.kind === 'local') return 'local';
  if (target.kind === 'ssh') {
    const user = target.userName ? `${target.userName}@` : '';
    return `ssh ${user}${target.hostName}${target.port ? `:${target.port}` : ''}`;
  }
  const scheme = target.useSsl ? 'https' : 'http';
  return `winrm ${scheme} ${target.computerName}${target.port ? `:${target.port}` : ''}`;
}

function describeParams(params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  return entries.length === 0
    ? '-'
    : entries.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
}

// The JSON for tools, after ansible-inventory --list: hosts with their settings, and groups.
function describeInventory(inventory: Inventory, hosts: InventoryHost[]) {
  const selected = new Set(hosts.map((h) => h.name));
  return {
    file: inventory.file,
    format: inventory.format,
    hosts: hosts.map(({ definedAt, ...host }) => ({
      ...host,
      definedAt: `${definedAt.file}:${definedAt.line}:${definedAt.col}`,
    })),
    groups: Object.fromEntries(
      [...inventory.groups.values()]
        .map(
          (g) => [g.name, { hosts: g.hosts.filter((h) => selected.has(h)), children: g.children }] as const,
        )
        .filter(([, g]) => g.hosts.length > 0),
    ),
    warnings: inventory.warnings,
  };
}
