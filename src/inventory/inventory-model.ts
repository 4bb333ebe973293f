import type { PlaybookProblem, SourcePosition } from '../core/errors.js';
import type { TargetSpec } from '../powershell/types.js';

/** The inventory formats psremedy reads. */
export type InventoryFormat = 'ansible-yaml' | 'ansible-ini' | 'psremedy';

/** One host of an inventory, resolved: everything a run needs to reach it and fill its params. */
export interface InventoryHost {
  /** The inventory name (Ansible's inventory_hostname); what --limit matches. */
  name: string;
  /** Where psremedy connects (ansible_host / address, else the name). */
  address: string;
  /** How to reach it. For a lab host a placeholder under `.invalid` the run replaces. */
  target: TargetSpec;
  /** Playbook params for this host, merged host over child group over parent group over all. */
  params: Record<string, unknown>;
  /** Every group it belongs to, its groups' ancestors included, sorted; never `all`. */
  groups: string[];
  /** The lab scenario this host simulates (own format `lab:`), when it is a lab host. */
  lab?: string;
  /** Every variable of the host after merging (Ansible's hostvars; own format: its settings). */
  vars: Record<string, unknown>;
  /** Where the host is first defined. */
  definedAt: SourcePosition;
}

/** A group and every host in it or in its descendants, in inventory order. */
export interface InventoryGroup {
  name: string;
  hosts: string[];
  children: string[];
}

/** A loaded inventory: hosts in file order, groups (with `all` and `ungrouped`), and warnings. */
export interface Inventory {
  file: string;
  format: InventoryFormat;
  hosts: InventoryHost[];
  groups: Map<string, InventoryGroup>;
  warnings: PlaybookProblem[];
}
