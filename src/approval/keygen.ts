import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { APPROVER_LINE_PREFIX, fingerprintOf } from './keys.js';

/** What keygen wrote. */
export interface KeygenResult {
  keyFile: string;
  pubFile: string;
  fingerprint: string;
  name: string;
}

/** The approver name used when none is given: `user@host`. */
export function defaultApproverName(): string {
  return `${userInfo().username}@${hostname()}`;
}

/**
 * Writes `text` to `path`, created with `mode` by the open call itself (O_EXCL), so a private
 * key is never readable by others, not even for a moment. With `replace`, the file is written
 * beside the target and renamed over it, so the old file's wider mode is never reused.
 */
function writeNewFile(path: string, text: string, mode: number, replace: boolean): void {
  const target = replace ? `${path}.${randomBytes(6).toString('hex')}.tmp` : path;
  const fd = openSync(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(target);
    throw error;
  }
  closeSync(fd);
  if (replace) renameSync(target, path);
}

/** Creates `<out>.key` (PKCS#8 PEM, mode 0600) and `<out>.pub` (SPKI PEM) for approving. */
export function generateKeyFiles(options: { out: string; name?: string; force?: boolean }): KeygenResult {
  const name = (options.name ?? defaultApproverName()).trim();
  if (!name || /[\r\n]/.test(name)) throw new UsageError('--name must be one non-empty line');
  const keyFile = resolve(`${options.out}.key`);
  const pubFile = resolve(`${options.out}.pub`);
  if (!options.force) {
    for (const file of [keyFile, pubFile])
      if (existsSync(file))
        throw new UsageError(`${file} already exists; pass --force to replace the key pair`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const header = `${APPROVER_LINE_PREFIX}${name}\n`;
  const force = options.force === true;
  try {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    writeNewFile(keyFile, header + privateKey.export({ type: 'pkcs8', format: 'pem' }), 0o600, force);
    writeNewFile(pubFile, header + publicKey.export({ type: 'spki', format: 'pem' }), 0o644, force);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new UsageError(`${keyFile} or ${pubFile} appeared meanwhile; pass --force to replace`);
    throw new UsageError(`cannot write the key pair ${keyFile}: ${(error as Error).message}`);
  }
  return { keyFile, pubFile, fingerprint: fingerprintOf(publicKey), name };
}
