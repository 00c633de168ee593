import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProjectFileError } from '../errors.js';

/** `pathArg` itself, or the first of `names` in the folder it names; else one clear error. */
export async function findProjectSource(pathArg: string, names: string[]): Promise<string> {
  const absolute = resolve(pathArg);
  const stats = await stat(absolute).catch(() => undefined);
  if (!stats)
    throw new ProjectFileError(
      'ERR_PROJECT_NOT_FOUND',
      absolute,
      `${pathArg}: no such file or folder`,
    );
  if (!stats.isDirectory()) return absolute;
  for (const name of names) {
    const file = join(absolute, name);
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  }
  throw new ProjectFileError(
    'ERR_PROJECT_NOT_FOUND',
    absolute,
    `${pathArg}: no ${names.join(' or ')} in this folder`,
  );
}
