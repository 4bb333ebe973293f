/**
 * JSON.parse keeps the last of two equal keys, so a reviewer reading the first one sees another
 * policy than the one enforced. This finds such keys in text that is already known to be JSON.
 */

/** The dotted path of the first key that appears twice in one object, or undefined. */
export function findDuplicateJsonKey(json: string): string | undefined {
  const frames: Array<{ keys: Set<string> | undefined; path: string; key?: string; index: number }> = [];
  let expectingKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const end = endOfString(json, i);
      const frame = frames.at(-1);
      if (expectingKey && frame?.keys) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (frame.keys.has(key)) return frame.path ? `${frame.path}.${key}` : key;
        frame.keys.add(key);
        frame.key = key;
        expectingKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const parent = frames.at(-1);
      const name = parent?.keys ? parent.key : parent ? String(parent.index) : '';
      const path = parent?.path && name !== undefined ? `${parent.path}.${name}` : (name ?? '');
      frames.push({ keys: c === '{' ? new Set() : undefined, path, index: 0 });
      expectingKey = c === '{';
    } else if (c === '}' || c === ']') {
      frames.pop();
    } else if (c === ',') {
      const frame = frames.at(-1);
      if (frame?.keys) expectingKey = true;
      else if (frame) frame.index += 1;
    }
  }
  return undefined;
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
