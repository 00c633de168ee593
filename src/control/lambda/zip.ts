// A small, strict reader for Lambda deployment packages (.zip), on node:zlib alone: the stored
// and deflate methods, CRC-checked, with the limits Lambda applies. Anything that could write
// outside the target folder (absolute paths, `..`, backslashes, symbolic links) is refused.
// https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
import { SallyportError } from '../../errors.js';
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Relative path with `/` separators; directories end with `/`. */
  path: string;
  data: Buffer;
  /** Unix permission bits when the archive recorded them (0 when not). */
  mode: number;
}

export class ZipError extends SallyportError {
  readonly code = 'ERR_BAD_ZIP';
}

/** Lambda's limit on a function's unzipped code. https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html */
export const MAX_UNZIPPED_BYTES = 262_144_000;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function readZip(zip: Buffer, maxUnzipped = MAX_UNZIPPED_BYTES): ZipEntry[] {
  const end = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    need(zip, at, 46);
    if (zip.readUInt32LE(at) !== CENTRAL) throw new ZipError('bad central directory');
    const madeBy = zip.readUInt16LE(at + 4) >> 8;
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    const localOffset = zip.readUInt32LE(at + 42);
    need(zip, at + 46, nameLength);
    const path = safePath(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 1) throw new ZipError(`${path} is encrypted`);
    if (size === 0xffffffff || compressedSize === 0xffffffff)
      throw new ZipError('ZIP64 is not supported');
    // Unix hosts keep st_mode in the high half of the external attributes.
    const mode = madeBy === 3 ? external >>> 16 : 0;
    if ((mode & 0o170000) === 0o120000) throw new ZipError(`${path} is a symbolic link`);
    total += size;
    if (total > maxUnzipped)
      throw new ZipError(`Unzipped size must be smaller than ${maxUnzipped} bytes`);

    const data = path.endsWith('/')
      ? Buffer.alloc(0)
      : readData(zip, localOffset, method, compressedSize, size);
    if (!path.endsWith('/') && crc32(data) !== crc) throw new ZipError(`${path}: CRC mismatch`);
    entries.push({ path, data, mode: mode & 0o777 });
  }
  assertUnpackable(entries);
  return entries;
}

/** Linux's NAME_MAX: the longest file name, in bytes. */
const MAX_NAME_BYTES = 255;
/**
 * The longest path inside the package, in bytes: PATH_MAX (4096) less room for the folder it is
 * unpacked into (`<dataDir>/functions/<name>/<sha256 hex>/`).
 */
const MAX_PATH_BYTES = 3072;

/**
 * Refuses what cannot be written to a file system, before anything is: a name that is both a
 * file and a folder (`a` and `a/b`), a name over 255 bytes or a path over MAX_PATH_BYTES.
 */
function assertUnpackable(entries: readonly ZipEntry[]): void {
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const { path } of entries) {
    if (Buffer.byteLength(path) > MAX_PATH_BYTES)
      throw new ZipError(`path longer than ${MAX_PATH_BYTES} bytes: ${path.slice(0, 64)}…`);
    const parts = path.split('/');
    const isFolder = path.endsWith('/');
    if (isFolder) parts.pop();
    let prefix = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (Buffer.byteLength(part) > MAX_NAME_BYTES)
        throw new ZipError(`name longer than ${MAX_NAME_BYTES} bytes: ${part.slice(0, 64)}…`);
      prefix = i === 0 ? part : `${prefix}/${part}`;
      if (i < parts.length - 1 || isFolder) folders.add(prefix);
      else files.add(prefix);
    }
  }
  for (const file of files)
    if (folders.has(file)) throw new ZipError(`${file} is both a file and a folder`);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535.
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) if (zip.readUInt32LE(i) === EOCD) return i;
  throw new ZipError('not a zip file');
}

function readData(
  zip: Buffer,
  offset: number,
  method: number,
  compressedSize: number,
  size: number,
): Buffer {
  need(zip, offset, 30);
  if (zip.readUInt32LE(offset) !== LOCAL) throw new ZipError('bad local header');
  const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
  need(zip, start, compressedSize);
  const raw = zip.subarray(start, start + compressedSize);
  if (method === 0) {
    if (compressedSize !== size) throw new ZipError('stored entry size mismatch');
    return Buffer.from(raw);
  }
  if (method !== 8) throw new ZipError(`compression method ${method} is not supported`);
  try {
    // maxOutputLength stops a zip bomb from inflating past what the header promised.
    const data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
    if (data.length !== size) throw new ZipError('inflated size mismatch');
    return data;
  } catch (error) {
    if (error instanceof ZipError) throw error;
    throw new ZipError(`cannot inflate: ${(error as Error).message}`);
  }
}

function safePath(name: string): string {
  if (
    name === '' ||
    name.includes('\\') ||
    name.includes('\u0000') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((part) => part === '..')
  ) {
    throw new ZipError(`unsafe path in zip: ${JSON.stringify(name)}`);
  }
  return name.replace(/^(\.\/)+/, '');
}

function need(zip: Buffer, at: number, length: number): void {
  if (at < 0 || at + length > zip.length) throw new ZipError('truncated zip');
}
