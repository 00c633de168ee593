// Functions from sallyport.yaml go into the store like functions created through the Lambda API,
// so ListFunctions, GetFunction and Invoke see one set. Their code stays in the project folder
// (`LocalCode`): a config-file project is served by the node that has the folder.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { Store } from '../../store/store.js';
import type { StoredFunction } from './function-configuration.js';

export interface LocalFunctionDeps {
  store: Store;
  settings: Settings;
  now: () => number;
}

/** What putFunctionFromFolder changed: nothing, or a new function, its code, its configuration. */
export type FunctionChange =
  'unchanged' | 'created' | 'code' | 'configuration' | 'code and configuration';

/** Creates or updates the stored function; writes nothing when nothing changed. */
export async function putFunctionFromFolder(
  deps: LocalFunctionDeps,
  config: FunctionConfig,
): Promise<FunctionChange> {
  const code = await fingerprint(config.Code);
  return deps.store.transaction(async (tx): Promise<FunctionChange> => {
    const current = await tx.get<StoredFunction>('function', '', config.FunctionName);
    if (
      current &&
      current.LocalCode === config.Code &&
      current.CodeHash === code.hash &&
      sameConfig(current, config)
    ) {
      return 'unchanged';
    }
    const fn: StoredFunction = {
      ...config,
      Role: `arn:aws:iam::${deps.settings.accountId}:role/sallyport-local`,
      Description: current?.Description ?? '',
      CodeSha256: Buffer.from(code.hash, 'hex').toString('base64'),
      CodeHash: code.hash,
      CodeSize: code.size,
      LastModified: deps.now(),
      RevisionId: randomUUID(),
      Architectures: ['x86_64'],
      LocalCode: config.Code,
    };
    await tx.put('function', '', config.FunctionName, fn);
    tx.notify({ kind: 'function', scope: '', id: config.FunctionName });
    if (!current) return 'created';
    const newCode = current.LocalCode !== config.Code || current.CodeHash !== code.hash;
    const newConfig = !sameConfig(current, config);
    return newCode && newConfig ? 'code and configuration' : newCode ? 'code' : 'configuration';
  });
}

function sameConfig(a: FunctionConfig, b: FunctionConfig): boolean {
  return (
    a.Runtime === b.Runtime &&
    a.Handler === b.Handler &&
    a.Timeout === b.Timeout &&
    a.MemorySize === b.MemorySize &&
    a.Isolation === b.Isolation &&
    JSON.stringify(a.Environment) === JSON.stringify(b.Environment)
  );
}

/** A hash of the folder's file names, sizes and modification times (not contents: fast). */
async function fingerprint(folder: string): Promise<{ hash: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((x, y) => (x.name < y.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name === 'node_modules' && dir === folder) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const s = await stat(path);
        size += s.size;
        hash.update(`${relative(folder, path)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  await walk(folder);
  return { hash: hash.digest('hex'), size };
}
