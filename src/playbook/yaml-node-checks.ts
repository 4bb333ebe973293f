import { isCollection, isNode, isPair, isScalar, type Node, visit } from 'yaml';
import type { ProblemList } from './problem-list.js';
import { pathAtOffset, positionOfOffset, type YamlSource } from './yaml-source.js';

// The tags of the YAML 1.2 core schema; anything else (`!ps`, `!!binary`, `!!set`) would be
// dropped or turned into a value no playbook field takes.
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/**
 * Reports what parses as YAML but has no meaning in a playbook: tags outside the core schema,
 * keys that are lists or maps, and empty (null) keys. Returns true when it found any.
 */
export function checkYamlNodes(source: YamlSource, problems: ProblemList): boolean {
  const before = problems.items.length;
  const tagAt = new Map(
    source.doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED').map((w) => [w.pos[0], w] as const),
  );
  visit(source.doc, {
    Node(_, node) {
      if (!isNode(node) || node.tag === undefined || CORE_TAGS.has(node.tag)) return;
      const start = node.range?.[0] ?? 0;
      const offset =
        tagOffset(source.text, start) ?? [...tagAt.keys()].filter((at) => at <= start).pop() ?? start;
      problems.addAt(
        positionOfOffset(source, offset),
        pathAtOffset(source, start),
        `unknown YAML tag "${shortTag(node.tag)}"`,
        'remove the tag; playbooks use plain YAML values',
      );
    },
    Pair(_, pair) {
      if (!isPair(pair)) return;
      const key = pair.key as Node | null;
      if (isCollection(key)) {
        add(
          source,
          problems,
          key.range?.[0] ?? 0,
          'a key must be a name, not a list or map',
          'write the key as a plain name',
        );
      } else if (key === null || (isScalar(key) && key.value === null)) {
        const offset = isScalar(key) && key.range ? key.range[0] : valueOffset(pair.value);
        add(
          source,
          problems,
          offset,
          'a key is empty (null)',
          'give the key a name, or quote it if "null" or "~" is meant',
        );
      }
    },
  });
  return problems.items.length > before;
}

function add(source: YamlSource, problems: ProblemList, offset: number, message: string, hint: string): void {
  problems.addAt(positionOfOffset(source, offset), pathAtOffset(source, offset), message, hint);
}

// The `!tag` just before a node on its own line (`timeout: !ps 5s`); undefined when it is on an earlier line.
function tagOffset(text: string, start: number): number | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const match = /(!\S*)\s+$/.exec(text.slice(lineStart, start));
  return match ? lineStart + match.index : undefined;
}

function valueOffset(value: unknown): number {
  return isNode(value) && value.range ? value.range[0] : 0;
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}
