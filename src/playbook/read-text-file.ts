import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { findInvalidUtf8 } from './utf8-position.js';

/** Playbooks larger than this are refused before they are read (1 MiB). */
export const MAX_PLAYBOOK_BYTES = 1024 * 1024;

/** A text file read whole: its text (BOM removed) and the SHA-256 of its exact bytes. */
export interface TextFile {
  text: string;
  sha256: string;
  bytes: number;
}

/** Why a file could not be read as text, in words for the person who gave its name. */
export interface TextFileRefusal {
  message: string;
  hint?: string;
  /** Where in the file the problem is, when it is at one place (an invalid byte). */
  at?: { line: number; col: number };
}

/** Reads a UTF-8 text file, refusing directories, missing, oversized, binary and UTF-16 files. */
export async function readTextFile(file: string, maxBytes: number): Promise<TextFile | TextFileRefusal> {
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory())
      return {
        message: 'it is a directory, not a file',
        hint: 'name the file itself, e.g. playbooks/*.yaml',
      };
    if (!info.isFile()) return { message: 'it is not a regular file' };
    size = info.size;
  } catch (error) {
    return describeFsError(error);
  }
  if (size > maxBytes)
    return {
      message: `it is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}`,
      hint: 'is this the right file? playbooks and scripts are small text files',
    };
  let bytes: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      // Read at most one byte past the limit, in case the file grew after stat.
      const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > maxBytes) return { message: `it is larger than ${formatBytes(maxBytes)}` };
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return describeFsError(error);
  }
  return decodeText(bytes);
}

/** Decodes bytes as UTF-8 text, explaining UTF-16 and binary content. */
export function decodeText(bytes: Buffer): TextFile | TextFileRefusal {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return {
      message: 'it is saved as UTF-16; psremedy reads UTF-8',
      hint: 'save it as UTF-8 (in PowerShell 5.1 use Out-File -Encoding utf8, or Set-Content)',
    };
  if (bytes.includes(0)) return { message: 'it is a binary file (it contains NUL bytes), not text' };
  const invalid = findInvalidUtf8(bytes);
  if (invalid)
    return {
      message: `it is not valid UTF-8 text: byte 0x${invalid.byte.toString(16).toUpperCase().padStart(2, '0')}`,
      hint: 'save it as UTF-8 (a lone byte such as 0xE9 is Latin-1 or Windows-1252 text)',
      at: { line: invalid.line, col: invalid.col },
    };
  let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { text, sha256, bytes: bytes.length };
}

/** True when a read gave a file rather than a refusal. */
export function isTextFile(value: TextFile | TextFileRefusal): value is TextFile {
  return 'text' in value;
}

function describeFsError(error: unknown): TextFileRefusal {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return { message: 'it does not exist', hint: 'check the path and the current folder' };
  if (code === 'EACCES' || code === 'EPERM') return { message: 'permission denied' };
  if (code === 'EISDIR') return { message: 'it is a directory, not a file' };
  return { message: (error as Error).message };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
