import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyFiles } from '../../src/approval/keygen.js';
import { readSigningKey, readTrustedKeys } from '../../src/approval/keys.js';
import { UsageError } from '../../src/core/errors.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'psremedy-keygen-'));

describe('generateKeyFiles', () => {
  it('writes an Ed25519 PKCS#8 private key readable only by its owner and a matching public key', () => {
    const out = join(scratch(), 'alice');
    const result = generateKeyFiles({ out, name: 'alice@corp' });
    if (process.platform !== 'win32') expect(statSync(result.keyFile).mode & 0o777).toBe(0o600);
    const key = createPrivateKey(readFileSync(result.keyFile, 'utf8'));
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(readFileSync(result.keyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(createPublicKey(readFileSync(result.pubFile, 'utf8')).asymmetricKeyType).toBe('ed25519');
    expect(result.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(readSigningKey(result.keyFile)).toMatchObject({
      fingerprint: result.fingerprint,
      name: 'alice@corp',
    });
    expect(readTrustedKeys(result.pubFile)).toMatchObject([
      { fingerprint: result.fingerprint, name: 'alice@corp' },
    ]);
  });

  it('never overwrites an existing key pair without force', () => {
    const out = join(scratch(), 'bob');
    generateKeyFiles({ out });
    const before = readFileSync(`${out}.key`, 'utf8');
    expect(() => generateKeyFiles({ out })).toThrow(UsageError);
    expect(readFileSync(`${out}.key`, 'utf8')).toBe(before);
  });

  it('replaces a key pair with force and keeps the private key at 0600 even when the old file was wider', () => {
    const out = join(scratch(), 'carol');
    writeFileSync(`${out}.key`, 'old', { mode: 0o644 });
    const result = generateKeyFiles({ out, force: true });
    expect(readFileSync(result.keyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');
    if (process.platform !== 'win32') expect(statSync(result.keyFile).mode & 0o777).toBe(0o600);
  });

  it('trusts every .pub in a folder and refuses a folder without one', () => {
    const dir = scratch();
    const a = generateKeyFiles({ out: join(dir, 'a') });
    const b = generateKeyFiles({ out: join(dir, 'b') });
    expect(readTrustedKeys(dir).map((k) => k.fingerprint)).toEqual([a.fingerprint, b.fingerprint]);
    expect(() => readTrustedKeys(scratch())).toThrow(expect.objectContaining({ reason: 'untrusted-key' }));
  });
});
