import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';

/** A user name and password for a WinRM target; never logged, journaled or reported. */
export interface TargetCredential {
  userName: string;
  password: string;
}

/**
 * The unattended credential for WinRM targets, from PSREMEDY_CREDENTIAL_FILE (a JSON file
 * `{ "userName": ..., "password": ... }` readable only by its owner) or from
 * PSREMEDY_CREDENTIAL_USER + PSREMEDY_CREDENTIAL_PASSWORD; undefined when neither is set.
 */
export function readCredentialFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): TargetCredential | undefined {
  const file = env.PSREMEDY_CREDENTIAL_FILE;
  if (file) return readCredentialFile(file);
  const userName = env.PSREMEDY_CREDENTIAL_USER;
  const password = env.PSREMEDY_CREDENTIAL_PASSWORD;
  if (!userName && !password) return undefined;
  if (!userName || password === undefined) {
    throw new UsageError(
      'PSREMEDY_CREDENTIAL_USER and PSREMEDY_CREDENTIAL_PASSWORD must be set together (or use PSREMEDY_CREDENTIAL_FILE).',
    );
  }
  return { userName, password };
}

/** Reads a credential file, refusing one that other users can read (as ssh refuses such keys). */
export function readCredentialFile(path: string): TargetCredential {
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      throw new UsageError(`Credential file ${path} is readable by other users; run: chmod 600 ${path}`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot read credential file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message can quote the file's text, which holds the password.
    throw new UsageError(
      `Credential file ${path} is not JSON; expected { "userName": "...", "password": "..." }.`,
    );
  }
  const { userName, password } = (value ?? {}) as Partial<TargetCredential>;
  if (typeof userName !== 'string' || typeof password !== 'string' || userName === '') {
    throw new UsageError(`Credential file ${path} needs string fields "userName" and "password".`);
  }
  return { userName, password };
}
