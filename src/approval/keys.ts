import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApprovalError, UsageError } from '../core/errors.js';
import { BoundedReadError, readBoundedFile } from './read-bounded-file.js';

/** The comment line keygen writes above the PEM block of both key files. */
export const APPROVER_LINE_PREFIX = '# psremedy approver: ';

/** A public key the verifier trusts, with where it came from. */
export interface TrustedKey {
  file: string;
  fingerprint: string;
  key: KeyObject;
  /** The approver name keygen wrote into the file, when there is one. */
  name?: string;
}

/** The signing side of a key pair, as approve needs it. */
export interface SigningKey {
  file: string;
  key: KeyObject;
  fingerprint: string;
  name?: string;
}

/** `SHA256:<base64>` of the raw 32-byte Ed25519 public key (the ssh-keygen style). */
export function fingerprintOf(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 key');
  const raw = Buffer.from(jwk.x, 'base64url');
  return `SHA256:${createHash('sha256').update(raw).digest('base64').replace(/=+$/, '')}`;
}

/** Reads the approver name from a key file's comment line, if keygen wrote one. */
export function readApproverName(text: string): string | undefined {
  const line = text.split(/\r?\n/).find((l) => l.startsWith(APPROVER_LINE_PREFIX));
  const name = line?.slice(APPROVER_LINE_PREFIX.length).trim();
  return name ? name : undefined;
}

/** Loads an Ed25519 private key (PKCS#8 PEM) for signing; bad input is a UsageError. */
export function readSigningKey(file: string): SigningKey {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the private key ${path}: ${(error as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new UsageError(`${path} is not a PEM private key; make one with: psremedy keygen --out <name>`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UsageError(
      `${path} is a ${key.asymmetricKeyType} key; approvals need Ed25519 (psremedy keygen)`,
    );
  const publicKey = createPublicKey(key);
  return { file: path, key, fingerprint: fingerprintOf(publicKey), name: readApproverName(text) };
}

/** Trusted key files larger than this are refused (an Ed25519 .pub is about 200 bytes). */
export const MAX_PUBLIC_KEY_BYTES = 16 * 1024;

/** Parses one public key file; returns undefined when it is not an Ed25519 public key. */
function parsePublicKeyFile(file: string): TrustedKey | undefined {
  let text: string;
  try {
    text = readBoundedFile(file, MAX_PUBLIC_KEY_BYTES).toString('utf8');
  } catch (error) {
    if (!(error instanceof BoundedReadError)) throw error;
    throw new ApprovalError(`cannot read the trusted key ${file}: ${error.message}`, 'untrusted-key', {
      trust: file,
    });
  }
  try {
    const key = createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') return undefined;
    return { file, key, fingerprint: fingerprintOf(key), name: readApproverName(text) };
  } catch {
    return undefined;
  }
}

/**
 * Loads the trusted keys: one `.pub` file, or every `*.pub` directly inside a folder.
 * Nothing usable to trust is a refusal (`untrusted-key`): an unattended run must not guess.
 */
export function readTrustedKeys(trust: string): TrustedKey[] {
  const path = resolve(trust);
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name.toLowerCase().endsWith('.pub'))
          .sort()
          .map((name) => join(path, name))
      : [path];
  } catch (error) {
    throw new ApprovalError(
      `cannot read the trusted keys at ${path}: ${(error as Error).message}`,
      'untrusted-key',
      {
        trust: path,
      },
    );
  }
  const keys = files.map(parsePublicKeyFile).filter((k): k is TrustedKey => k !== undefined);
  if (keys.length === 0)
    throw new ApprovalError(
      `no Ed25519 public key (.pub from psremedy keygen) at ${path}; pass --trust <file.pub|folder>`,
      'untrusted-key',
      { trust: path },
    );
  return keys;
}
