// The data directory, private before anything is written to it: 0700, and its secret files 0600.
// One that other users could read is tightened, and said so: they may have read it already.
import { join } from 'node:path';
import { CREDENTIALS_FILE } from '../control/admin/credentials.js';
import type { Logger } from '../observability/logger.js';
import { SQLITE_FILE, SQLITE_SIDE_FILES } from '../store/open-store.js';
import { makePrivateDir, makePrivateFile } from '../store/private-files.js';

const SECRET_FILES = [
  SQLITE_FILE,
  ...SQLITE_SIDE_FILES.map((suffix) => SQLITE_FILE + suffix),
  CREDENTIALS_FILE,
];

export function preparePrivateDataDir(dataDir: string, logger: Logger): void {
  const dirWas = makePrivateDir(dataDir);
  if (dirWas !== undefined)
    logger.warn(
      { dataDir, was: dirWas },
      'the data directory was open to other users; made it 0700 (rotate the secrets it holds if others could log in here)',
    );
  for (const name of SECRET_FILES) {
    const file = join(dataDir, name);
    const was = makePrivateFile(file);
    if (was !== undefined)
      logger.warn({ file, was }, 'a secret file was open to other users; made it 0600');
  }
}
