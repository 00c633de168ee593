import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ProjectFileError } from '../errors.js';
import { findProjectSource } from './find-file.js';
import { parseLocatedYaml, type LocatedYaml } from './located-yaml.js';

/**
 * The YAML project file `pathArg` names (itself, or the first of `names` in that folder), parsed
 * with positions; a syntax error is one `file:line:column: reason` error.
 */
export async function readProjectYaml(
  pathArg: string,
  names: string[],
): Promise<{ file: string; yaml: LocatedYaml }> {
  const file = await findProjectSource(pathArg, names);
  const parsed = parseLocatedYaml(await readFile(file, 'utf8'), basename(file));
  if (!parsed.ok)
    throw new ProjectFileError(
      'ERR_PROJECT_YAML_SYNTAX',
      file,
      `${basename(file)}:${parsed.line}:${parsed.column}: ${parsed.reason}`,
    );
  return { file, yaml: parsed.yaml };
}
