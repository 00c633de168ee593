// A function's deployment package: checked, kept in the store (so every node sharing it can run
// the function), and unpacked once per node into `<dataDir>/functions/<name>/<sha256 hex>/`.
// Unpacking goes to a temporary folder renamed into place, so a half-written folder is never
// run; a folder that exists already holds exactly that code (its name is the zip's hash).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LambdaError } from '../errors.js';
import { invalidParameter } from './errors.js';
import { readZip, ZipError, type ZipEntry } from './zip.js';

/** Lambda's limit on a zip sent inline (ZipFile). */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;

export interface CheckedCode {
  zip: Buffer;
  entries: ZipEntry[];
  /** Base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  sha256: string;
  /** The same hash in hex: the folder name and the store id. */
  hash: string;
  size: number;
}

/** Validates a request's `Code` (CreateFunction) or the code fields of UpdateFunctionCode. */
export function checkCode(code: Record<string, unknown> | undefined): CheckedCode {
  if (code === undefined || typeof code !== 'object')
    throw invalidParameter('Code is a required parameter');
  if (code.S3Bucket !== undefined || code.S3Key !== undefined || code.S3ObjectVersion !== undefined)
    throw invalidParameter(
      'Code from S3 (S3Bucket, S3Key) is not supported by Sallyport: send the zip inline as ZipFile',
    );
  if (code.ImageUri !== undefined)
    throw invalidParameter(
      'Container images (ImageUri) are not supported by Sallyport: send a zip as ZipFile',
    );
  if (typeof code.ZipFile !== 'string' || code.ZipFile === '')
    throw invalidParameter('Please provide a source for function code.');
  const zip = Buffer.from(code.ZipFile, 'base64');
  if (zip.length > MAX_ZIP_BYTES)
    throw new LambdaError(
      413,
      'RequestEntityTooLargeException',
      `Zipped size must be smaller than ${MAX_ZIP_BYTES} bytes`,
    );
  let entries: ZipEntry[];
  try {
    entries = readZip(zip);
  } catch (error) {
    if (error instanceof ZipError && error.message.startsWith('Unzipped size'))
      throw invalidParameter(error.message);
    throw invalidParameter(
      `Could not unzip uploaded file. Please check your file, then try to upload again. (${(error as Error).message})`,
    );
  }
  const digest = createHash('sha256').update(zip).digest();
  return {
    zip,
    entries,
    sha256: digest.toString('base64'),
    hash: digest.toString('hex'),
    size: zip.length,
  };
}

export function codeFolder(dataDir: string, functionName: string, hash: string): string {
  return join(dataDir, 'functions', functionName, hash);
}

/** Unpacks the entries into the function's code folder (once) and returns the folder. */
export async function unpack(
  dataDir: string,
  functionName: string,
  hash: string,
  entries: ZipEntry[],
): Promise<string> {
  const folder = codeFolder(dataDir, functionName, hash);
  if (existsSync(folder)) return folder;
  const temp = join(dataDir, 'functions', functionName, `.unpacking-${randomUUID()}`);
  try {
    await mkdir(temp, { recursive: true });
    for (const entry of entries) {
      const target = join(temp, entry.path);
      if (entry.path.endsWith('/') || entry.path === '') {
        await mkdir(target, { recursive: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      // Keep the executable bit: a `provided` function's bootstrap must stay runnable.
      await writeFile(target, entry.data, { mode: entry.mode & 0o111 ? 0o755 : 0o644 });
    }
    await rename(temp, folder).catch(async (error: NodeJS.ErrnoException) => {
      // Another request unpacked the same code meanwhile: theirs is identical.
      if (!existsSync(folder)) throw error;
      await rm(temp, { recursive: true, force: true });
    });
    return folder;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    // The function's own folder, if this attempt made it and nothing else is in it.
    await rmdir(dirname(temp)).catch(() => undefined);
    throw error;
  }
}

/** Unpacks a zip kept in the store (another node's upload) if this node lacks the folder. */
export async function unpackStored(
  dataDir: string,
  functionName: string,
  hash: string,
  zipBase64: string,
): Promise<string> {
  const folder = codeFolder(dataDir, functionName, hash);
  if (existsSync(folder)) return folder;
  return unpack(dataDir, functionName, hash, readZip(Buffer.from(zipBase64, 'base64')));
}
