/**
 * Reads a file an unattended run trusts (an approval, a trusted key) only when it is a regular
 * file of modest size: a folder, a named pipe, a device (a link to /dev/zero) or a dangling link
 * is refused at once, never read or waited on.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';

/** Why a file was refused, in words that finish "cannot read <file>: ...". */
export class BoundedReadError extends Error {
  override readonly name = 'BoundedReadError';
}

/** Reads the whole file, or throws BoundedReadError when it is not a regular file of at most `maxBytes`. */
export function readBoundedFile(path: string, maxBytes: number): Buffer {
  describeKind(statOrThrow(path), maxBytes);
  let fd: number;
  try {
    // O_NONBLOCK: if a pipe replaced the file after the check, open returns instead of waiting.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new BoundedReadError((error as Error).message);
  }
  try {
    const info = fstatSync(fd);
    describeKind(info, maxBytes);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) throw new BoundedReadError(`it is larger than ${maxBytes} bytes`);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BoundedReadError(
      code === 'ENOENT' ? 'it does not exist (or is a link to nothing)' : (error as Error).message,
    );
  }
}

function describeKind(info: Stats, maxBytes: number): void {
  if (info.isDirectory()) throw new BoundedReadError('it is a folder, not a file');
  if (info.isFIFO()) throw new BoundedReadError('it is a named pipe, not a file');
  if (!info.isFile()) throw new BoundedReadError('it is a device or socket, not a regular file');
  if (info.size > maxBytes) throw new BoundedReadError(`it is ${info.size} bytes; the limit is ${maxBytes}`);
}
