import { didYouMean } from '../playbook/did-you-mean.js';
import type { ProblemList } from '../playbook/problem-list.js';
import { expandHostRange, splitHostPort } from './host-ranges.js';
import { readPythonLiteral } from './python-literal.js';
import {
  groupNamed,
  newRawInventory,
  type RawGroup,
  type RawInventory,
  type RawValue,
} from './raw-inventory.js';
import { splitShellWords } from './shell-words.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;
const SECTION_KINDS = ['hosts', 'vars', 'children'];

/**
 * Reads an Ansible INI inventory as ansible.builtin.ini documents it: `[group]` lists hosts (with
 * inline `key=value` vars read as Python literals), `[group:vars]` sets string vars,
 * `[group:children]` names child groups, hosts before any section are `ungrouped`.
 */
export function readAnsibleIni(text: string, problems: ProblemList): RawInventory {
  const raw = newRawInventory();
  groupNamed(raw, 'ungrouped', { at: { line: 1, col: 1 }, path: '[ungrouped]' }).isDefined = true;
  let group = raw.get('ungrouped')!;
  let kind = 'hosts';
  const pendingChildren: Array<{ name: string; parent: string; at: { line: number; col: number } }> = [];
  const pendingVars: Array<{ name: string; at: { line: number; col: number } }> = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const line = index + 1;
    const indent = rawLine.length - rawLine.trimStart().length;
    const content = rawLine.trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) return;
    const at = { line, col: indent + 1 };
    if (content.startsWith('[')) {
      const match = SECTION.exec(content);
      if (!match) {
        problems.addAt(
          at,
          '',
          `"${content}" is not a section header`,
          'write [group], [group:vars] or [group:children]',
        );
        kind = 'skip';
        return;
      }
      const name = match[1]!;
      kind = match[2] ?? 'hosts';
      if (!SECTION_KINDS.includes(kind)) {
        const hint = didYouMean(kind, SECTION_KINDS);
        problems.addAt(
          { line, col: indent + name.length + 3 },
          `[${name}:${kind}]`,
          `section [${name}:${kind}] has an unknown type "${kind}"`,
          hint || 'the types are :vars and :children',
        );
        kind = 'skip';
        return;
      }
      group = groupNamed(raw, name, { at, path: `[${name}]` });
      if (kind === 'vars' && !group.isDefined) pendingVars.push({ name, at });
      if (kind !== 'vars') group.isDefined = true;
      return;
    }
    if (kind === 'hosts') readHostLine(rawLine, line, group, problems);
    else if (kind === 'vars') readVarLine(content, at, group, problems);
    else if (kind === 'children') {
      const name = /^([^:\]\s]+)\s*(?:[#;].*)?$/.exec(content)?.[1];
      if (name === undefined) {
        problems.addAt(at, `[${group.name}:children]`, `"${content}" is not a group name`);
        return;
      }
      const child = groupNamed(raw, name, { at, path: `[${group.name}:children]` });
      group.children.push({ name, at, path: `[${group.name}:children]` });
      if (!child.isDefined) pendingChildren.push({ name, parent: group.name, at });
    }
  });
  const known = [...raw.values()].filter((g) => g.isDefined).map((g) => g.name);
  for (const pending of pendingChildren) {
    if (raw.get(pending.name)?.isDefined) continue;
    const hint = didYouMean(pending.name, known);
    problems.addAt(
      pending.at,
      `[${pending.parent}:children]`,
      `unknown group "${pending.name}" in the children of "${pending.parent}"`,
      hint || `define it with a [${pending.name}] section`,
    );
  }
  for (const pending of pendingVars) {
    if (raw.get(pending.name)?.isDefined) continue;
    const hint = didYouMean(pending.name, known);
    problems.addAt(
      pending.at,
      `[${pending.name}:vars]`,
      `[${pending.name}:vars] sets variables of a group that is not defined`,
      hint || `define it with a [${pending.name}] section`,
    );
  }
  return raw;
}

function readHostLine(rawLine: string, line: number, group: RawGroup, problems: ProblemList): void {
  const split = splitShellWords(rawLine);
  const path = `[${group.name}]`;
  if ('error' in split) {
    problems.addAt({ line, col: 1 }, path, split.error);
    return;
  }
  const [first, ...rest] = split.words;
  if (!first) return;
  const at = { line, col: first.offset + 1 };
  if (first.text.includes('=')) {
    problems.addAt(
      at,
      path,
      `"${first.text}" is a variable, not a host`,
      `variables of the group go in a [${group.name}:vars] section; a host's go after its name`,
    );
    return;
  }
  const vars = new Map<string, RawValue>();
  const { host: pattern, port } = splitHostPort(first.text);
  if (port !== undefined) vars.set('ansible_port', { value: Number(port), at, path });
  for (const word of rest) {
    const wordAt = { line, col: word.offset + 1 };
    const equals = word.text.indexOf('=');
    if (equals <= 0) {
      problems.addAt(wordAt, path, `expected key=value after the host name, got "${word.text}"`);
      continue;
    }
    vars.set(word.text.slice(0, equals), {
      value: readPythonLiteral(word.text.slice(equals + 1)),
      at: wordAt,
      path,
    });
  }
  const expanded = expandHostRange(pattern);
  if ('error' in expanded) {
    problems.addAt(at, path, `host "${pattern}": ${expanded.error}`);
    return;
  }
  for (const name of expanded.names) group.hosts.push({ name, at, path, vars, params: new Map() });
}

function readVarLine(
  content: string,
  at: { line: number; col: number },
  group: RawGroup,
  problems: ProblemList,
): void {
  const path = `[${group.name}:vars]`;
  const equals = content.indexOf('=');
  if (equals <= 0) {
    problems.addAt(at, path, `expected key=value, got "${content}"`);
    return;
  }
  // Values in a :vars section are strings, as Ansible documents (`var=FALSE` is "FALSE").
  group.vars.set(content.slice(0, equals).trim(), {
    value: content.slice(equals + 1).trim(),
    at,
    path,
  });
}
