// The data directory holds secrets in clear (every function's environment, the admin
// credentials, uploaded code): only the user running Sallyport may read it. See
// docs/security.md, "What is stored in clear".
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` as 0700, or takes group and other access away from an existing one. Returns
 * what was loosened (e.g. `0755`), so the caller can say so, or undefined.
 */
export function makePrivateDir(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  return tighten(dir, PRIVATE_DIR_MODE);
}

/** Takes group and other access away from `file`, if it exists; returns its old mode if loose. */
export function makePrivateFile(file: string): string | undefined {
  try {
    return tighten(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates `file` empty with mode 0600 when it does not exist yet. SQLite gives its -wal and -shm
 * files the mode of the database file, so they are born private too.
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  makePrivateFile(file);
}

function tighten(path: string, mode: number): string | undefined {
  const current = statSync(path).mode & 0o777;
  if ((current & 0o077) === 0) return undefined;
  chmodSync(path, current & mode);
  return `0${current.toString(8)}`;
}
