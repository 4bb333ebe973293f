import { resolve } from 'node:path';
import { PlaybookError, type PlaybookProblem } from '../core/errors.js';
import { didYouMean } from '../playbook/did-you-mean.js';
import { ProblemList } from '../playbook/problem-list.js';
import { isTextFile, MAX_PLAYBOOK_BYTES, readTextFile } from '../playbook/read-text-file.js';
import { isPasswordVariable, mapAnsibleConnection } from './ansible-connection.js';
import { type PlaybookParams, resolveHostParams } from './host-params.js';
import type { Inventory, InventoryHost } from './inventory-model.js';
import { OnceProblems } from './once-problems.js';
import { mapOwnConnection } from './own-connection.js';
import type { RawInventory } from './raw-inventory.js';
import { readInventorySource } from './read-inventory-source.js';
import { readVarsDirectories } from './read-vars-directories.js';
import { resolveGroups } from './resolve-groups.js';

/** Options for {@link loadInventory}. */
export interface LoadInventoryOptions {
  /** Check params against this playbook's (and, for Ansible formats, take only those it declares). */
  playbook?: PlaybookParams;
  /** The lab scenarios `lab:` may name (default: the shipped ones). */
  labScenarios?: readonly string[];
}

/**
 * Reads an inventory (Ansible YAML or INI, or psremedy's own YAML, detected from the name and
 * content) and resolves every host. Throws a PlaybookError with every problem at file:line:col.
 */
export async function loadInventory(file: string, options: LoadInventoryOptions = {}): Promise<Inventory> {
  const read = await readTextFile(resolve(file), MAX_PLAYBOOK_BYTES);
  const problems = new ProblemList(file);
  if (!isTextFile(read)) {
    problems.addAt(
      read.at ?? { line: 1, col: 1 },
      '',
      `cannot read the inventory: ${read.message}`,
      read.hint,
    );
    throw new PlaybookError(file, problems.items);
  }
  const { raw, format, list } = readInventorySource(file, read.text, problems);
  const once = new OnceProblems(list);
  if (format === 'ansible-yaml') warnAboutEmptyGroups(raw, once);
  const hostFileVars =
    format === 'psremedy' ? undefined : await readVarsDirectories(file, raw, hostNamesOf(raw), list);
  const { hosts: merged, groups } = resolveGroups(raw, list, hostFileVars);
  if (merged.length === 0 && !list.hasErrors)
    list.addAt(
      { line: 1, col: 1 },
      '',
      'the inventory has no hosts',
      format === 'psremedy' ? undefined : "list hosts under a group's hosts:, or one per line in INI",
    );
  const hosts: InventoryHost[] = [];
  const labs: Array<{
    host: string;
    place: { at: { line: number; col: number }; path: string };
    scenario: string;
  }> = [];
  for (const host of merged) {
    const connection =
      format === 'psremedy'
        ? mapOwnConnection(host.name, host.vars, once)
        : mapAnsibleConnection(host.name, host.vars, once);
    const params = resolveHostParams(format, host, connection?.address ?? host.name, options.playbook, once);
    if (!connection) continue;
    const { lab } = connection as { lab?: string };
    if (lab !== undefined) labs.push({ host: host.name, place: host.vars.get('lab')!, scenario: lab });
    hosts.push({
      name: host.name,
      address: connection.address,
      target: connection.target,
      params,
      groups: host.groups.filter((g) => g !== 'all'),
      ...(lab !== undefined ? { lab } : {}),
      // Passwords are ignored (a warning says so), and so never travel with the host.
      vars: Object.fromEntries(
        [...host.vars].filter(([k]) => !isPasswordVariable(k)).map(([k, v]) => [k, v.value]),
      ),
      definedAt: { file, ...host.at },
    });
  }
  if (labs.length > 0) await checkLabScenarios(labs, options.labScenarios, once);
  if (list.hasErrors) throw new PlaybookError(file, sortByFile(list, file));
  return { file, format, hosts, groups, warnings: sortByFile(list, file) };
}

// The inventory's own problems first, then those of its group_vars/ and host_vars/ files.
function sortByFile(list: ProblemList, file: string): PlaybookProblem[] {
  const rank = (p: PlaybookProblem) => (p.file === file ? '' : p.file);
  return [...list.items].sort((a, b) => rank(a).localeCompare(rank(b)) || a.line - b.line || a.col - b.col);
}

function hostNamesOf(raw: RawInventory): string[] {
  return [...new Set([...raw.values()].flatMap((g) => g.hosts.map((h) => h.name)))];
}

// In Ansible YAML a child named with no body makes an empty group; named nowhere else, it is
// usually a misspelt group.
function warnAboutEmptyGroups(raw: RawInventory, once: OnceProblems): void {
  const defined = [...raw.values()].filter((g) => g.isDefined).map((g) => g.name);
  for (const group of raw.values()) {
    if (group.isDefined || group.name === 'all') continue;
    const hint = didYouMean(group.name, defined);
    once.warn(
      group,
      `group "${group.name}" has no hosts, vars or children anywhere in the inventory`,
      hint || undefined,
    );
  }
}

async function checkLabScenarios(
  labs: Array<{ host: string; place: { at: { line: number; col: number }; path: string }; scenario: string }>,
  given: readonly string[] | undefined,
  once: OnceProblems,
): Promise<void> {
  const known = given ?? (await (await import('../lab/scenario/scenario-loader.js')).listScenarioNames());
  for (const lab of labs) {
    if (known.includes(lab.scenario)) continue;
    const hint = didYouMean(lab.scenario, known);
    once.error(
      lab.place,
      `lab scenario "${lab.scenario}" does not exist`,
      hint || 'psremedy lab list shows the scenarios',
    );
  }
}
