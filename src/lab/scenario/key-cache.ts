import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * RSA keys for lab certificates, kept on disk by label: generating a 2048-bit key is the slow part
 * of making a certificate, and the same label gets the same key (so the same certificate attributes
 * give the same thumbprint on every run). These keys protect nothing; they only make the TLS real.
 */

const memory = new Map<string, Promise<KeyObject>>();

/** The cache folder: PSREMEDY_LAB_KEY_CACHE, else ~/.cache/psremedy/lab-keys. */
export function keyCacheDir(): string {
  return (
    process.env.PSREMEDY_LAB_KEY_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'psremedy', 'lab-keys')
  );
}

/** Returns the private key for a label, generating and caching it on first use. */
export function getLabKey(label: string): Promise<KeyObject> {
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '_');
  let key = memory.get(safe);
  if (!key) {
    key = loadOrGenerate(join(keyCacheDir(), `${safe}.key.pem`));
    memory.set(safe, key);
    key.catch(() => memory.delete(safe));
  }
  return key;
}

async function loadOrGenerate(file: string): Promise<KeyObject> {
  try {
    return createPrivateKey(await readFile(file, 'utf8'));
  } catch {
    const pem = await new Promise<string>((resolve, reject) =>
      generateKeyPair(
        'rsa',
        {
          modulusLength: 2048,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        },
        (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey)),
      ),
    );
    try {
      await mkdir(join(file, '..'), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, pem, { mode: 0o600 });
      await rename(temp, file);
    } catch {
      // An unwritable cache only costs speed.
    }
    return createPrivateKey(pem);
  }
}
