import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { loadInventory, selectHosts } from '../../src/inventory/index.js';

const inventory = await loadInventory(
  new URL('../fixtures/inventories/windows.ini', import.meta.url).pathname,
);
const names = (limit?: string) =>
  selectHosts(inventory, limit).map((h) => h.name.replace('.corp.example', ''));

describe('--limit host patterns, as Ansible reads them', () => {
  it.each([
    [undefined, ['web01', 'web02', 'web03', 'sql01', 'sql02', 'jump']],
    ['all', ['web01', 'web02', 'web03', 'sql01', 'sql02', 'jump']],
    ['sql', ['sql01', 'sql02']],
    ['rdp', ['web01', 'web02', 'web03', 'sql01', 'sql02']],
    ['jump.corp.example,sql01.corp.example', ['sql01', 'jump']],
    ['web0[13]*', ['web01', 'web03']],
    ['sql*', ['sql01', 'sql02']],
    ['rdp:!web', ['sql01', 'sql02']],
    ['!rdp', ['jump']],
    ['web:&canary', ['web02']],
    ['!canary,&web,rdp', ['web01', 'web03']],
    ['~^(web01|jump)', ['web01', 'jump']],
    ['web[0]', ['web01']],
    ['web[1:]', ['web02', 'web03']],
    ['rdp[-1]', ['sql02']],
  ])('%s selects %j', (limit, expected) => {
    expect(names(limit)).toEqual(expected);
  });

  it.each([
    ['wbe', '--limit "wbe" matches no host or group'],
    ['rdp,!canery', '--limit "!canery" matches no host or group'],
    ['web:!web', '--limit "web:!web" selects no host (its terms exclude every host they include)'],
  ])('refuses %s with a usage error naming the nearest hosts and groups', (limit, message) => {
    let error: unknown;
    try {
      selectHosts(inventory, limit);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
  });

  it('names the nearest names when nothing matches', () => {
    expect(() => selectHosts(inventory, 'canery')).toThrow(/nearest: canary \(group\)/);
  });
});
