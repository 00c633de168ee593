// The admin listener's credentials: from the environment, else from the data directory, else a
// fresh pair written there (mode 0600) so that `serve` can print where to find it.
import { SallyportError } from '../../errors.js';
import { randomBytes, randomInt } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdminCredentials } from './sigv4.js';

export const CREDENTIALS_FILE = 'credentials.json';

export interface LoadedCredentials {
  credentials: AdminCredentials;
  /** Set when the pair was generated just now: the file it was written to. */
  generatedAt?: string;
}

export class CredentialsError extends SallyportError {
  readonly code = 'ERR_ADMIN_CREDENTIALS';
}

export async function loadAdminCredentials(options: {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): Promise<LoadedCredentials> {
  const found = await findAdminCredentials(options);
  if (found) return { credentials: found };
  const file = join(options.dataDir, CREDENTIALS_FILE);
  const credentials = generateCredentials();
  await mkdir(options.dataDir, { recursive: true });
  // `wx`: never overwrite a pair another process wrote meanwhile.
  try {
    await writeFile(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readStored(file);
      if (raced) return { credentials: raced };
    }
    throw error;
  }
  await chmod(file, 0o600);
  return { credentials, generatedAt: file };
}

/** The environment's pair, else the data directory's; undefined when neither has one. */
export async function findAdminCredentials(options: {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): Promise<AdminCredentials | undefined> {
  const env = options.env ?? process.env;
  const id = env.SALLYPORT_ACCESS_KEY_ID;
  const secret = env.SALLYPORT_SECRET_ACCESS_KEY;
  if (id || secret) {
    if (!id || !secret)
      throw new CredentialsError(
        'set both SALLYPORT_ACCESS_KEY_ID and SALLYPORT_SECRET_ACCESS_KEY, or neither',
      );
    return { accessKeyId: id, secretAccessKey: secret };
  }
  return readStored(join(options.dataDir, CREDENTIALS_FILE));
}

async function readStored(file: string): Promise<AdminCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CredentialsError(`${file}: not valid JSON`);
  }
  const { accessKeyId, secretAccessKey } = (parsed ?? {}) as Partial<AdminCredentials>;
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string' || !accessKeyId)
    throw new CredentialsError(`${file}: expected {"accessKeyId": …, "secretAccessKey": …}`);
  return { accessKeyId, secretAccessKey };
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** AKIA + 16 base32 characters (20 in all), and a 40-character secret, shaped as IAM's. */
export function generateCredentials(): AdminCredentials {
  let accessKeyId = 'AKIA';
  for (let i = 0; i < 16; i++) accessKeyId += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  const bytes = randomBytes(40);
  let secretAccessKey = '';
  for (const b of bytes) secretAccessKey += SECRET_ALPHABET[b % SECRET_ALPHABET.length];
  return { accessKeyId, secretAccessKey };
}
