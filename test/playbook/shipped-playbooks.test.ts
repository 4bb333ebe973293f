import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  listShippedPlaybooks,
  resolvePlaybookArgument,
  SHIPPED_PLAYBOOK_DIR,
} from '../../src/playbook/shipped-playbooks.js';

describe('shipped playbooks by name', () => {
  it('lists every shipped playbook with its name and title', () => {
    const list = listShippedPlaybooks();
    expect(list.map((p) => p.name)).toContain('rdp-0x904');
    expect(list.find((p) => p.name === 'rdp-0x904')?.title).toMatch(/0x904/);
    expect(list.find((p) => p.name === 'rdp-0x904')?.file).toBe(join(SHIPPED_PLAYBOOK_DIR, 'rdp-0x904.yaml'));
  });

  it('turns a bare name into the shipped file, from any folder', () => {
    expect(resolvePlaybookArgument('rdp-0x904')).toBe(join(SHIPPED_PLAYBOOK_DIR, 'rdp-0x904.yaml'));
  });

  it('finds a playbook by its name: field when the file is called otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'psremedy-shipped-'));
    writeFileSync(
      join(dir, 'other-file.yaml'),
      'apiVersion: psremedy/v1\nname: by-field\ntitle: T\nsteps: []\n',
    );
    expect(resolvePlaybookArgument('by-field', dir)).toBe(join(dir, 'other-file.yaml'));
  });

  it('keeps an existing path, even one that looks like a name, and leaves unknown names to the loader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'psremedy-cwd-'));
    mkdirSync(join(dir, 'rdp-0x904'));
    const here = process.cwd();
    process.chdir(dir);
    try {
      expect(resolvePlaybookArgument('rdp-0x904')).toBe('rdp-0x904');
    } finally {
      process.chdir(here);
    }
    expect(resolvePlaybookArgument('no-such-playbook')).toBe('no-such-playbook');
    expect(resolvePlaybookArgument('./x/rdp-0x904.yaml')).toBe('./x/rdp-0x904.yaml');
  });
});
